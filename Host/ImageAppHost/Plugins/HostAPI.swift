import CImageAppPlugin
import Prometheus
import Synchronization
import HTTPTypes
import Logging
import NIOCore

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
        api.struct_size = UInt32(MemoryLayout<ia_host_api>.size)
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
            guard let exchange = Exchange.from(request) else { return IA_ERR_INVALID_ARGUMENT }
            guard index < exchange.headers.count else { return IA_ERR_NOT_FOUND }
            let field = exchange.headers[exchange.headers.index(exchange.headers.startIndex, offsetBy: index)]
            name?.pointee = exchange.arena.view(field.name.canonicalName)
            value?.pointee = exchange.arena.view(field.value)
            return IA_OK
        }
        api.request_body = { request, data, length in
            guard let exchange = Exchange.from(request) else { return IA_ERR_INVALID_ARGUMENT }
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
            guard let exchange = Exchange.from(request), let out else { return IA_ERR_INVALID_ARGUMENT }
            guard let principal = exchange.principal else { return IA_ERR_NOT_FOUND }
            var filled = ia_principal()
            filled.struct_size = UInt32(MemoryLayout<ia_principal>.size)
            filled.user_id = principal.userID
            filled.handle = exchange.arena.view(principal.handle)
            filled.role = exchange.arena.view(principal.role)
            SizedStruct.write(filled, to: out)
            return IA_OK
        }
        api.request_set_principal = { request, principal in
            guard let exchange = Exchange.from(request) else { return IA_ERR_INVALID_ARGUMENT }
            guard let principal else {
                exchange.principal = nil
                return IA_OK
            }
            guard let value = SizedStruct.read(principal) else { return IA_ERR_INVALID_ARGUMENT }
            exchange.principal = Principal(
                userID: value.user_id,
                handle: CString.string(value.handle),
                role: CString.string(value.role)
            )
            return IA_OK
        }
        api.request_set_attribute = { request, key, value in
            guard let exchange = Exchange.from(request), key.len > 0 else { return IA_ERR_INVALID_ARGUMENT }
            exchange.attributes[CString.string(key)] = CString.string(value)
            return IA_OK
        }
        api.request_attribute = { request, key, out in
            HostAPI.optionalView(request, out) { exchange in
                exchange.attributes[CString.string(key)].map { exchange.arena.view($0) }
            }
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
            guard let exchange = Exchange.from(request), (100...599).contains(status) else { return IA_ERR_INVALID_ARGUMENT }
            exchange.status = status
            return IA_OK
        }
        api.response_add_header = { request, name, value in
            guard let exchange = Exchange.from(request) else { return IA_ERR_INVALID_ARGUMENT }
            let text = CString.string(value)
            guard let fieldName = HTTPField.Name(CString.string(name)), HTTPField.isValidValue(text),
                !ResponseHeaders.hostOwned.contains(fieldName)
            else { return IA_ERR_INVALID_ARGUMENT }
            exchange.responseHeaders.append(HTTPField(name: fieldName, value: text))
            return IA_OK
        }
        api.response_set_body = { request, data, length in
            guard let exchange = Exchange.from(request), data != nil || length == 0 else { return IA_ERR_INVALID_ARGUMENT }
            exchange.responseBody.clear()
            if length > 0 { exchange.responseBody.writeBytes(UnsafeRawBufferPointer(start: data, count: length)) }
            return IA_OK
        }
        api.response_append_body = { request, data, length in
            guard let exchange = Exchange.from(request), data != nil || length == 0 else { return IA_ERR_INVALID_ARGUMENT }
            if length > 0 { exchange.responseBody.writeBytes(UnsafeRawBufferPointer(start: data, count: length)) }
            return IA_OK
        }
        api.request_complete = { request in
            guard let request, let exchange = Exchange.from(request) else { return IA_ERR_INVALID_ARGUMENT }
            let finished = exchange.finish()
            // Balance the retain taken when the handler returned IA_PENDING.
            if exchange.pendingRelease.exchange(false, ordering: .acquiringAndReleasing) {
                Unmanaged<Exchange>.fromOpaque(UnsafeRawPointer(request)).release()
            }
            return finished ? IA_OK : IA_ERR_STATE
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
        addMultipart(to: &api)
        return api
    }

    // MARK: Helpers shared by the slots

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
        guard let exchange = Exchange.from(request), let out else { return IA_ERR_INVALID_ARGUMENT }
        out.pointee = make(exchange)
        return IA_OK
    }

    private static func optionalView(
        _ request: OpaquePointer?,
        _ out: UnsafeMutablePointer<ia_str>?,
        _ make: (Exchange) -> ia_str?
    ) -> ia_status {
        guard let exchange = Exchange.from(request), let out else { return IA_ERR_INVALID_ARGUMENT }
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

/// Reading and writing size-prefixed boundary structs whose size may differ from ours.
enum SizedStruct {
    /// A copy of a plugin-filled struct: fields beyond the plugin's `struct_size` read as zero.
    /// Returns nil when `struct_size` is smaller than `minimumSize`: the struct's ABI 1.0 layout,
    /// the oldest we accept (the whole struct for those that have not grown since).
    static func read<T>(_ pointer: UnsafePointer<T>, minimumSize: Int = MemoryLayout<T>.size) -> T? {
        let declared = Int(UnsafeRawPointer(pointer).load(as: UInt32.self))
        guard declared >= minimumSize else { return nil }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<T>.size, alignment: MemoryLayout<T>.alignment)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<T>.size)
        buffer.copyMemory(from: pointer, byteCount: min(declared, MemoryLayout<T>.size))
        return buffer.load(as: T.self)
    }

    /// Writes `value` into a plugin-owned struct, no further than the plugin's `struct_size`.
    static func write<T>(_ value: T, to pointer: UnsafeMutablePointer<T>) {
        let declared = Int(UnsafeRawPointer(pointer).load(as: UInt32.self))
        let count = min(declared, MemoryLayout<T>.size)
        guard count > MemoryLayout<UInt32>.size else { return }
        withUnsafeBytes(of: value) { bytes in
            // Keep the plugin's own struct_size; copy the fields after it.
            let offset = MemoryLayout<UInt32>.size
            UnsafeMutableRawPointer(pointer).advanced(by: offset).copyMemory(
                from: bytes.baseAddress!.advanced(by: offset),
                byteCount: count - offset
            )
        }
    }
}
