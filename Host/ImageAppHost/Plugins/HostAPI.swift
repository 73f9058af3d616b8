import CImageAppPlugin
import HTTPTypes
import Logging
import NIOCore
import Prometheus
import Synchronization

/// The function table every plugin receives (`ia_host_api`), built once per process.
///
/// Each slot is a non-capturing closure (C function pointers cannot capture) that finds its
/// Swift object through the opaque handle: `ia_host *` is a ``PluginContext``, `ia_request *`
/// an ``Exchange``, `ia_metric *` a ``PluginMetric``.
enum HostAPI {
    /// The table, allocated once and never freed or modified (the ABI promises both).
    nonisolated(unsafe) static let table: UnsafePointer<ia_host_api> = {
        let pointer = UnsafeMutablePointer<ia_host_api>.allocate(capacity: 1)
        pointer.initialize(to: makeTable())
        return UnsafePointer(pointer)
    }()

    private static func makeTable() -> ia_host_api {
        var api = ia_host_api()
        api.struct_size = SizedStruct.size(of: ia_host_api.self)
        api.abi_major = UInt16(IA_ABI_MAJOR)
        api.abi_minor = UInt16(IA_ABI_MINOR)

        // Logging
        api.log = { host, level, message in
            guard let context = PluginContext.from(host) else { return }
            context.logger.log(level: LogLevels.from(level), "\(CString.string(message))")
        }
        api.log_enabled = { host, level in
            guard let context = PluginContext.from(host) else { return 0 }
            return context.logger.logLevel <= LogLevels.from(level) ? 1 : 0
        }

        // Settings
        api.config_string = { host, key, out in
            HostAPI.settingLookup(host, key) { context, key, value in
                guard case .string(let text) = value else { return IA_ERR_TYPE }
                out?.pointee = context.permanentCString(key: key, value: text)
                return IA_OK
            }
        }
        // Typed getters also accept text (environment overrides are text) that spells the type.
        api.config_int = { host, key, out in
            HostAPI.settingLookup(host, key) { _, _, value in
                switch value {
                case .int(let number): out?.pointee = number
                case .string(let text):
                    guard let number = Int64(text) else { return IA_ERR_TYPE }
                    out?.pointee = number
                default: return IA_ERR_TYPE
                }
                return IA_OK
            }
        }
        api.config_double = { host, key, out in
            HostAPI.settingLookup(host, key) { _, _, value in
                switch value {
                case .double(let number): out?.pointee = number
                case .int(let number): out?.pointee = Double(number)
                case .string(let text):
                    guard let number = Double(text) else { return IA_ERR_TYPE }
                    out?.pointee = number
                default: return IA_ERR_TYPE
                }
                return IA_OK
            }
        }
        api.config_bool = { host, key, out in
            HostAPI.settingLookup(host, key) { _, _, value in
                switch value {
                case .bool(let flag): out?.pointee = flag ? 1 : 0
                case .string("true"): out?.pointee = 1
                case .string("false"): out?.pointee = 0
                default: return IA_ERR_TYPE
                }
                return IA_OK
            }
        }
        api.config_json = { host, out in
            guard let context = PluginContext.from(host), let out else { return IA_ERR_INVALID_ARGUMENT }
            out.pointee = context.permanentCString(key: "\u{0}json", value: ConfigValue.table(context.settings).jsonText)
            return IA_OK
        }

        // Registration
        api.register_route = { host, definition in
            guard let context = PluginContext.from(host), let definition else { return IA_ERR_INVALID_ARGUMENT }
            return Registration.route(context, definition)
        }
        api.register_middleware = { host, definition in
            guard let context = PluginContext.from(host), let definition else { return IA_ERR_INVALID_ARGUMENT }
            return Registration.middleware(context, definition)
        }
        api.register_cli_command = { host, definition in
            guard let context = PluginContext.from(host), let definition else { return IA_ERR_INVALID_ARGUMENT }
            return Registration.command(context, definition)
        }

        // Request
        api.request_method = { request, out in
            HostAPI.stringView(request, out) { $0.view(0, $0.method) }
        }
        api.request_path = { request, out in
            HostAPI.stringView(request, out) { $0.view(1, $0.path) }
        }
        api.request_query = { request, out in
            HostAPI.stringView(request, out) { $0.view(2, String($0.rawQuery)) }
        }
        api.request_query_param = { request, name, out in
            HostAPI.optionalView(request, out) { exchange in
                PercentDecoding.queryValue(exchange.rawQuery, named: CString.string(name)).map { exchange.arena.view($0) }
            }
        }
        api.request_path_param = { request, name, out in
            HostAPI.optionalView(request, out) { exchange in
                exchange.parameters[CString.string(name)].map { exchange.arena.view($0) }
            }
        }
        api.request_header = { request, name, out in
            HostAPI.optionalView(request, out) { exchange in
                guard let fieldName = HTTPField.Name(CString.string(name)) else { return nil }
                return exchange.headers[fieldName].map { exchange.arena.view($0) }
            }
        }
        api.request_header_count = { request in
            Exchange.from(request)?.headers.count ?? 0
        }
        api.request_header_at = { request, index, name, value in
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            guard index < exchange.headers.count else { return IA_ERR_NOT_FOUND }
            let field = exchange.headers[exchange.headers.index(exchange.headers.startIndex, offsetBy: index)]
            name?.pointee = exchange.arena.view(field.name.canonicalName)
            value?.pointee = exchange.arena.view(field.value)
            return IA_OK
        }
        api.request_body = { request, data, length in
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            let body = exchange.body
            data?.pointee = body.pointer
            length?.pointee = body.count
            return IA_OK
        }
        api.request_peer = { request, out in
            HostAPI.stringView(request, out) { $0.view(4, $0.peer) }
        }
        api.request_id = { request, out in
            HostAPI.stringView(request, out) { $0.view(3, $0.requestID) }
        }
        api.request_principal = { request, out in
            guard let out else { return IA_ERR_INVALID_ARGUMENT }
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            guard let principal = exchange.principal else { return IA_ERR_NOT_FOUND }
            var filled = ia_principal()
            filled.struct_size = SizedStruct.size(of: ia_principal.self)
            filled.user_id = principal.userID
            filled.handle = exchange.arena.view(principal.handle)
            filled.role = exchange.arena.view(principal.role)
            SizedStruct.write(filled, to: out)
            return IA_OK
        }
        api.request_set_principal = { request, principal in
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            guard let principal else {
                exchange.principal = nil
                return IA_OK
            }
            guard let value = SizedStruct.read(principal, minimumSize: MinimumSize.principal) else { return IA_ERR_INVALID_ARGUMENT }
            exchange.principal = Principal(
                userID: value.user_id,
                handle: CString.string(value.handle),
                role: CString.string(value.role)
            )
            return IA_OK
        }
        api.request_set_attribute = { request, key, value in
            guard key.len > 0 else { return IA_ERR_INVALID_ARGUMENT }
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            exchange.attributes[CString.string(key)] = CString.string(value)
            return IA_OK
        }
        api.request_attribute = { request, key, out in
            HostAPI.optionalView(request, out) { exchange in
                exchange.attributes[CString.string(key)].map { exchange.arena.view($0) }
            }
        }
        api.request_route = { request, pattern, flags, owner in
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            pattern?.pointee = exchange.view(5, exchange.route.pattern)
            flags?.pointee = exchange.route.flags
            owner?.pointee = exchange.view(6, exchange.route.owner)
            return IA_OK
        }
        api.request_resume = { request, status in
            guard let exchange = Exchange.from(request) else { return IA_ERR_STATE }
            return exchange.resume(with: status) ? IA_OK : IA_ERR_STATE
        }
        api.request_route_metadata = { request, key, value in
            value?.pointee = ia_str()
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            guard let text = exchange.route.labels[CString.string(key)] else { return IA_ERR_NOT_FOUND }
            value?.pointee = exchange.arena.view(text)
            return IA_OK
        }
        api.request_can_block = { request in
            Exchange.from(request)?.canBlock == true ? 1 : 0
        }
        api.request_log = { request, level, message in
            guard let exchange = Exchange.from(request) else { return }
            var logger = exchange.currentPlugin?.logger ?? exchange.logger
            logger[metadataKey: "request_id"] = .string(exchange.requestID)
            logger.log(level: LogLevels.from(level), "\(CString.string(message))")
        }

        // Response
        api.response_set_status = { request, status in
            guard (100...599).contains(status) else { return IA_ERR_INVALID_ARGUMENT }
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            exchange.status = status
            return IA_OK
        }
        api.response_add_header = { request, name, value in
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            let text = CString.string(value)
            guard let fieldName = HTTPField.Name(CString.string(name)), HTTPField.isValidValue(text),
                !ResponseHeaders.hostOwned.contains(fieldName)
            else { return IA_ERR_INVALID_ARGUMENT }
            exchange.responseHeaders.append(HTTPField(name: fieldName, value: text))
            return IA_OK
        }
        api.response_set_body = { request, data, length in
            guard data != nil || length == 0 else { return IA_ERR_INVALID_ARGUMENT }
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            exchange.responseBody.clear()
            if length > 0 { exchange.responseBody.writeBytes(UnsafeRawBufferPointer(start: data, count: length)) }
            return IA_OK
        }
        api.response_append_body = { request, data, length in
            guard data != nil || length == 0 else { return IA_ERR_INVALID_ARGUMENT }
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            if length > 0 { exchange.responseBody.writeBytes(UnsafeRawBufferPointer(start: data, count: length)) }
            return IA_OK
        }
        api.response_send_file = { request, descriptor, offset, length in
            guard descriptor >= 0 else { return IA_ERR_INVALID_ARGUMENT }
            // The host owns the descriptor from here on, whatever happens.
            let file = FileResponse(descriptor: descriptor, offset: offset, length: length)
            guard length <= UInt64(Int64.max), offset <= UInt64(Int64.max) - length else { return IA_ERR_INVALID_ARGUMENT }
            guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
            exchange.responseBody.clear()
            exchange.responseFile = file
            return IA_OK
        }
        api.request_complete = { request in
            guard let request else { return IA_ERR_INVALID_ARGUMENT }
            // A stale handle (completed by the plugin or answered by the host) finds nothing.
            guard let exchange = Exchange.from(request) else { return IA_ERR_STATE }
            return exchange.finish() ? IA_OK : IA_ERR_STATE
        }

        // Metrics
        api.metric_register = { host, definition in
            guard let context = PluginContext.from(host), let definition else { return nil }
            return Registration.metric(context, definition)
        }
        api.metric_add = { metric, value in
            guard let metric = PluginMetric.from(metric), value.isFinite else { return }
            switch metric.instrument {
            case .counter(let counter): if value >= 0 { counter.increment(by: value) }
            case .gauge(let gauge): gauge.increment(by: value)
            case .histogram: break
            }
        }
        api.metric_set = { metric, value in
            guard let metric = PluginMetric.from(metric), case .gauge(let gauge) = metric.instrument else { return }
            gauge.set(value)
        }
        api.metric_observe = { metric, value in
            guard let metric = PluginMetric.from(metric), case .histogram(let histogram) = metric.instrument else { return }
            histogram.record(value)
        }
        addDataServices(to: &api)
        addEvents(to: &api)
        addStorage(to: &api)
        addRedis(to: &api)
        addAsyncRedis(to: &api)
        addMultipart(to: &api)
        addStreams(to: &api)  // ABI 1.12
        return api
    }

    // MARK: Helpers shared by the slots

    /// The status for a request handle that finds no exchange: a NULL one is an invalid
    /// argument; any other is stale (the request is complete) and has been logged.
    static func staleStatus(_ request: OpaquePointer?) -> ia_status {
        request == nil ? IA_ERR_INVALID_ARGUMENT : IA_ERR_STATE
    }

    private static func settingLookup(
        _ host: OpaquePointer?,
        _ key: ia_str,
        _ convert: (PluginContext, String, ConfigValue) -> ia_status
    ) -> ia_status {
        guard let context = PluginContext.from(host) else { return IA_ERR_INVALID_ARGUMENT }
        let name = CString.string(key)
        guard let value = context.setting(name) else { return IA_ERR_NOT_FOUND }
        return convert(context, name, value)
    }

    private static func stringView(
        _ request: OpaquePointer?,
        _ out: UnsafeMutablePointer<ia_str>?,
        _ make: (Exchange) -> ia_str
    ) -> ia_status {
        guard let out else { return IA_ERR_INVALID_ARGUMENT }
        guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
        out.pointee = make(exchange)
        return IA_OK
    }

    private static func optionalView(
        _ request: OpaquePointer?,
        _ out: UnsafeMutablePointer<ia_str>?,
        _ make: (Exchange) -> ia_str?
    ) -> ia_status {
        guard let out else { return IA_ERR_INVALID_ARGUMENT }
        guard let exchange = Exchange.from(request) else { return HostAPI.staleStatus(request) }
        guard let view = make(exchange) else { return IA_ERR_NOT_FOUND }
        out.pointee = view
        return IA_OK
    }
}

/// Headers only the host sets.
enum ResponseHeaders {
    static let hostOwned: Set<HTTPField.Name> = [.contentLength, .transferEncoding, .connection]
}

/// Maps ABI log levels to swift-log levels.
enum LogLevels {
    static func from(_ level: Int32) -> Logger.Level {
        switch level {
        case ...IA_LOG_TRACE: .trace
        case IA_LOG_DEBUG: .debug
        case IA_LOG_INFO: .info
        case IA_LOG_NOTICE: .notice
        case IA_LOG_WARNING: .warning
        case IA_LOG_ERROR: .error
        default: .critical
        }
    }
}
