import CImageAppPlugin

/// A Prometheus metric registered with ``PluginHost/registerMetric(_:name:help:labels:buckets:)`` and served at
/// `GET /metrics`.
///
/// The use of `@unchecked Sendable` is safe for this type because the metric handle and the function table are
/// immutable and valid for the process lifetime, and the header documents `metric_add`, `metric_set` and
/// `metric_observe` as `[any thread]`.
public struct Metric: @unchecked Sendable {
    /// The kind of a metric.
    public enum Kind: Int32, Hashable, Sendable {
        /// `IA_METRIC_COUNTER`: only goes up.
        case counter = 1
        /// `IA_METRIC_GAUGE`: goes up and down, or is set.
        case gauge = 2
        /// `IA_METRIC_HISTOGRAM`: counts observations into buckets.
        case histogram = 3
    }

    /// The kind this metric was registered as.
    public let kind: Kind
    /// The host's `ia_metric` handle.
    public let handle: OpaquePointer
    private let api: UnsafePointer<ia_host_api>

    init(kind: Kind, handle: OpaquePointer, api: UnsafePointer<ia_host_api>) {
        self.kind = kind
        self.handle = handle
        self.api = api
    }

    /// Counter: adds `value` (which must be >= 0). Gauge: adds `value`, which may be negative.
    public func add(_ value: Double) {
        api.pointee.metric_add?(handle, value)
    }

    /// Counter or gauge: adds one.
    public func increment() {
        add(1)
    }

    /// Gauge only: sets the value.
    public func set(_ value: Double) {
        api.pointee.metric_set?(handle, value)
    }

    /// Histogram only: records one observation.
    public func observe(_ value: Double) {
        api.pointee.metric_observe?(handle, value)
    }
}
