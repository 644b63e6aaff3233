import Foundation

/// Prices from `Data/pricing.json` (compiled in; see scripts/embed-patterns.py).
public struct Pricing: Sendable {
    public struct MacieRegion: Sendable {
        public var perGB: [Double]
        public var inferredTiers: [Bool]
        public var bucketMonth: Double
        public var per100kObjectsMonth: Double
    }

    public struct S3Region: Sendable {
        public var getPer1000: Double
        public var listPer1000: Double
        public var transferOutPerGB: Double
    }

    public var freeTierGB: Double
    public var tierBoundariesGB: [Double]
    public var macie: [String: MacieRegion]
    public var macieDefault: String
    public var s3: [String: S3Region]
    public var s3Default: String

    public static let builtin: Pricing = {
        guard let file = BuiltinData.files.first(where: { $0.name == "pricing.json" }),
            let pricing = try? Pricing.decode(Data(file.json.utf8))
        else { fatalError("Data/pricing.json is missing or invalid: run `make patterns`") }
        return pricing
    }()

    static func decode(_ data: Data) throws -> Pricing {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let macie = root["macie"] as? [String: Any], let s3 = root["s3"] as? [String: Any],
            let macieRegions = macie["regions"] as? [String: [String: Any]],
            let s3Regions = s3["regions"] as? [String: [String: Any]]
        else { throw CocoaError(.coderReadCorrupt) }
        return Pricing(
            freeTierGB: macie["freeTierGBPerMonth"] as? Double ?? 1,
            tierBoundariesGB: (macie["tierBoundariesGB"] as? [Double]) ?? [51200, 512000],
            macie: macieRegions.mapValues {
                MacieRegion(
                    perGB: $0["perGB"] as? [Double] ?? [1], inferredTiers: $0["inferredTiers"] as? [Bool] ?? [],
                    bucketMonth: $0["bucketMonth"] as? Double ?? 0.1,
                    per100kObjectsMonth: $0["per100kObjectsMonth"] as? Double ?? 0.01)
            },
            macieDefault: macie["defaultRegion"] as? String ?? "us-east-1",
            s3: s3Regions.mapValues {
                S3Region(
                    getPer1000: $0["getPer1000"] as? Double ?? 0, listPer1000: $0["listPer1000"] as? Double ?? 0,
                    transferOutPerGB: $0["transferOutPerGB"] as? Double ?? 0)
            },
            s3Default: s3["defaultRegion"] as? String ?? "us-east-1")
    }

    /// What Macie would charge to analyse `bytes` of uncompressed data in one month, after
    /// `freeTierGB` (pass 0 when the free tier is already used).
    public func macieCost(bytes: Int64, region: String, applyFreeTier: Bool = true) -> (
        usd: Double, region: String, inferred: Bool
    ) {
        let key = macie[region] != nil ? region : macieDefault
        let prices = macie[key]!
        var gb = Double(bytes) / 1_073_741_824
        if applyFreeTier { gb = max(0, gb - freeTierGB) }
        var cost = 0.0
        var lower = 0.0
        var inferred = false
        for (tier, price) in prices.perGB.enumerated() {
            let upper = tier < tierBoundariesGB.count ? tierBoundariesGB[tier] : .infinity
            let inTier = max(0, min(gb, upper) - lower)
            if inTier > 0 {
                cost += inTier * price
                if tier < prices.inferredTiers.count && prices.inferredTiers[tier] { inferred = true }
            }
            lower = upper
        }
        return (cost, key, inferred)
    }

    public func s3Prices(region: String) -> (S3Region, String) {
        let key = s3[region] != nil ? region : s3Default
        return (s3[key]!, key)
    }
}
