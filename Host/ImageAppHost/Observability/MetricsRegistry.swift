import CImageAppPlugin
public import Prometheus
import Synchronization

/// The host's Prometheus registry: HTTP metrics, swift-metrics users, and plugin metrics.
///
/// swift-prometheus ends the process on a clashing registration (same name, another shape),
/// so every plugin registration is checked against the families seen so far first.
public final class MetricsRegistry: Sendable {
    /// The registry `/metrics` renders.
    public let prometheus: PrometheusCollectorRegistry

    private struct Family {
        let kind: Int32
        let labelNames: [String]
        let help: String
        let buckets: [Double]
        /// Host-owned names that plugins may not use.
        var reserved = false
    }

    private let families = Mutex<[String: Family]>([:])
    private let handles = Mutex<[String: PluginMetric]>([:])

    public init(prometheus: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.prometheus = prometheus
    }

    /// Reserves names the host registers itself, so plugins cannot clash with them.
    func reserve(name: String, kind: Int32, labelNames: [String]) {
        families.withLock { $0[name] = Family(kind: kind, labelNames: labelNames, help: "", buckets: [], reserved: true) }
    }

    /// Registers (or finds) a plugin metric; returns nil with a reason on a bad definition or clash.
    func register(
        kind: Int32,
        name: String,
        help: String,
        labels: [(String, String)],
        buckets: [Double]
    ) -> Result<PluginMetric, RegistrationError> {
        guard Self.isValidName(name) else {
            return .failure(.invalid("metric name '\(name)' must match [a-zA-Z_:][a-zA-Z0-9_:]*"))
        }
        guard [IA_METRIC_COUNTER, IA_METRIC_GAUGE, IA_METRIC_HISTOGRAM].contains(kind) else {
            return .failure(.invalid("metric '\(name)' has unknown kind \(kind)"))
        }
        for (label, _) in labels where !Self.isValidName(label) || label.contains(":") || label.hasPrefix("__") {
            return .failure(.invalid("metric '\(name)' has an invalid label name '\(label)'"))
        }
        if kind == IA_METRIC_HISTOGRAM, !buckets.isEmpty, zip(buckets, buckets.dropFirst()).contains(where: { $0 >= $1 }) {
            return .failure(.invalid("metric '\(name)' buckets must be strictly ascending"))
        }
        let labelNames = labels.map(\.0)
        let family: Family
        switch families.withLock({ existing -> Result<Family, RegistrationError> in
            if let known = existing[name] {
                guard !known.reserved else {
                    return .failure(.conflict("metric name '\(name)' is reserved by the host"))
                }
                guard known.kind == kind, known.labelNames == labelNames else {
                    return .failure(.conflict("metric '\(name)' is already registered with another kind or label names"))
                }
                return .success(known)
            }
            let new = Family(
                kind: kind,
                labelNames: labelNames,
                help: help.isEmpty ? name : help,
                buckets: buckets.isEmpty ? Self.defaultBuckets : buckets
            )
            existing[name] = new
            return .success(new)
        }) {
        case .success(let found): family = found
        case .failure(let error): return .failure(error)
        }
        let key = name + "\u{0}" + labels.map { "\($0.0)=\($0.1)" }.joined(separator: "\u{0}")
        // The whole name goes in `metricName` (no namespace or unit), so it is used as given.
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: family.help)
        let metric = handles.withLock { handles -> PluginMetric in
            if let existing = handles[key] { return existing }
            let made: PluginMetric
            switch kind {
            case IA_METRIC_COUNTER:
                made = PluginMetric(.counter(prometheus.makeCounter(descriptor: descriptor, labels: labels)))
            case IA_METRIC_GAUGE:
                made = PluginMetric(.gauge(prometheus.makeGauge(descriptor: descriptor, labels: labels)))
            default:
                made = PluginMetric(
                    .histogram(prometheus.makeValueHistogram(descriptor: descriptor, labels: labels, buckets: family.buckets))
                )
            }
            handles[key] = made
            return made
        }
        return .success(metric)
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> [UInt8] {
        prometheus.emitToBuffer()
    }

    static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f || $0 == 0x3a
        }
    }
}

/// A plugin metric; crosses the ABI as `ia_metric *` and lives for the process.
final class PluginMetric: Sendable {
    enum Instrument: Sendable {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(ValueHistogram)
    }

    let instrument: Instrument

    init(_ instrument: Instrument) {
        self.instrument = instrument
    }

    /// The opaque pointer for `self`, kept alive by the registry, which lives for the process.
    var opaque: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

    static func from(_ handle: OpaquePointer?) -> PluginMetric? {
        guard let handle else { return nil }
        return Unmanaged<PluginMetric>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }
}
