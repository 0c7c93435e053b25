// MedAugData: class-folder datasets, splits and synthetic data.
