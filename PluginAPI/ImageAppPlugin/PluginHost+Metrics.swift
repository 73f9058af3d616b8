import CImageAppPlugin

extension PluginHost {
    /// Registers a Prometheus metric with fixed label values. Call it from `initialize` or `start` (the lifecycle
    /// thread), keep the returned ``Metric``, and update it from any thread.
    ///
    /// Registering the same name, kind and labels again returns the same metric.
    ///
    /// - Parameters:
    ///   - kind: Counter, gauge or histogram.
    ///   - name: The metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    ///   - help: The one-line help text.
    ///   - labels: Label names and their fixed values, in order.
    ///   - buckets: Histogram upper bounds, ascending; `nil` for the host's defaults.
    /// - Throws: ``PluginRegistrationError`` when the definition is invalid or clashes with another metric.
    public func registerMetric(
        _ kind: Metric.Kind,
        name: String,
        help: String,
        labels: KeyValuePairs<String, String> = [:],
        buckets: [Double]? = nil
    ) throws(PluginRegistrationError) -> Metric {
        let handle = register(kind, name: name, help: help, labels: labels, buckets: buckets)
        guard let handle else {
            // The ABI reports a refused metric only as NULL; "invalid argument" covers both causes it names.
            throw PluginRegistrationError(kind: .metric, name: name, status: .invalidArgument)
        }
        return Metric(kind: kind, handle: handle, api: api)
    }

    /// Calls `metric_register`; `nil` when the host refused the definition.
    private func register(
        _ kind: Metric.Kind,
        name: String,
        help: String,
        labels: KeyValuePairs<String, String>,
        buckets: [Double]?
    ) -> OpaquePointer? {
        let bounds = buckets ?? []
        let strings = [name, help] + labels.map(\.key) + labels.map(\.value)
        return withIAStrs(strings) { views in
            bounds.withUnsafeBufferPointer { bounds in
                var definition = ia_metric_def()
                definition.struct_size = PluginABI.structSize(of: ia_metric_def.self)
                definition.kind = kind.rawValue
                definition.name = views[0]
                definition.help = views[1]
                definition.label_count = labels.count
                if !labels.isEmpty {
                    definition.label_names = views.baseAddress! + 2
                    definition.label_values = views.baseAddress! + 2 + labels.count
                }
                if buckets != nil {
                    definition.buckets = bounds.baseAddress
                    definition.bucket_count = bounds.count
                }
                return api.pointee.metric_register?(handle, &definition)
            }
        }
    }
}
