import ArgumentParser
import MedAugAugment

/// `medaug augmenters`: what a pipeline file may write, straight from the
/// augmenters' parameter tables (the same tables that read the files).
struct AugmentersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augmenters",
        abstract: "List the augmenters a pipeline file can name, with their parameters.",
        discussion: """
        Pipeline files (--pipeline, and the presets aug1-aug3) are lists of imgaug 0.4.0 augmenters, written `- Name: {parameter: value}`.

        Without NAME this lists every augmenter with its parameters and their defaults. With NAME it shows one augmenter in full: each parameter's meaning, default, accepted forms (a number, a range [a, b], {choice: [...]}, ...) and allowed values, including the maximums MedAug adds so that no file can ask for a giant allocation. A file that breaks a rule is refused naming the file, the entry, the key and what is allowed.

        Examples:
          medaug augmenters
          medaug augmenters MedianBlur
          medaug augmenters Affine --json
          medaug augmenters --markdown > table.md
        """
    )

    @Argument(help: ArgumentHelp("Show this augmenter in full (e.g. GaussianBlur; case is ignored).", valueName: "name"))
    var name: String?

    @Flag(help: "Print as JSON: a list of augmenters, each with its parameters, defaults and limits.")
    var json = false

    @Flag(help: "Print every augmenter as a Markdown table (the README's list is this output).")
    var markdown = false

    func validate() throws {
        if json && markdown { throw ValidationError("give either --json or --markdown, not both") }
        if let name, AugmenterRegistry.listing(named: name) == nil {
            throw ValidationError("unknown augmenter '\(name)'; allowed: \(AugmenterRegistry.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        if let name, let listing = AugmenterRegistry.listing(named: name) {
            let text = json ? AugmenterListing.json([listing]) : markdown ? AugmenterListing.markdown([listing]) : listing.text
            print(text, terminator: "")
            return
        }
        let all = AugmenterRegistry.listing()
        if markdown {
            print(AugmenterListing.markdown(all), terminator: "")
        } else if json {
            print(AugmenterListing.json(all), terminator: "")
        } else {
            print("Augmenters a pipeline file can name (imgaug 0.4.0's names and arguments), with their defaults.\n"
                  + "`medaug augmenters NAME` shows one in full.\n")
            print(AugmenterListing.overview(all), terminator: "")
        }
    }
}
