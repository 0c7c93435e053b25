// TEMPORARY until the salted hash lands (helper): replaced by PatientKey in Labels/.
public enum PatientKey {
    public static func hashed(_ id: String) -> String { "p-" + String(id.hashValue, radix: 16) }
}
