import CImageAppPlugin
import Logging

/// The registration slots of the host API: validate, copy, add to the registry.
enum Registration {
    static func route(_ context: PluginContext, _ pointer: UnsafePointer<ia_route_def>) -> ia_status {
        guard context.phase == .initializing else { return refuse(context, .wrongPhase("plugin '\(context.name)' registered a route outside init")) }
        // ABI 1.0's ia_route_def ends where 1.7's request_content_type begins.
        let sizeInABI10 = MemoryLayout<ia_route_def>.offset(of: \ia_route_def.request_content_type)!
        guard let definition = SizedStruct.read(pointer, minimumSize: sizeInABI10) else {
            return refuse(context, .invalid("plugin '\(context.name)' passed an ia_route_def with a struct_size smaller than ABI 1.0's"))
        }
        let method = CString.string(definition.method)
        let path = CString.string(definition.path)
        guard let function = definition.handler else {
            return refuse(context, .invalid("route \(method) \(path) of plugin '\(context.name)' has no handler"))
        }
        var metadata = RouteMetadata()
        metadata.summary = nonEmpty(definition.summary)
        metadata.description = nonEmpty(definition.description)
        metadata.tag = nonEmpty(definition.tag)
        metadata.hidden = definition.flags & UInt32(IA_ROUTE_HIDDEN) != 0
        if let type = nonEmpty(definition.request_content_type) {
            // A media type token: "type/subtype", no parameters (they belong to requests, not to the document).
            let parts = type.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || "!#$&-^_.+".contains($0) } }) else {
                return refuse(context, .invalid("route \(method) \(path) of plugin '\(context.name)': request_content_type '\(type)' is not a media type"))
            }
            metadata.requestContentType = type.lowercased()
        }
        metadata.successStatus = definition.success_status == 0 ? 200 : Int(definition.success_status)
        guard (100...599).contains(metadata.successStatus) else {
            return refuse(context, .invalid("route \(method) \(path) of plugin '\(context.name)' has success_status \(metadata.successStatus)"))
        }
        for (label, view, keyPath) in [
            ("request_schema", definition.request_schema, \RouteMetadata.requestSchema),
            ("response_schema", definition.response_schema, \RouteMetadata.responseSchema),
        ] as [(String, ia_str, WritableKeyPath<RouteMetadata, JSONValue?>)] {
            guard let text = nonEmpty(view) else { continue }
            guard let schema = JSONValue.parse(text), case .object = schema else {
                return refuse(context, .invalid("route \(method) \(path) of plugin '\(context.name)': \(label) is not a JSON object"))
            }
            metadata[keyPath: keyPath] = schema
        }
        let target = RouteTarget(
            owner: context.name,
            kind: .plugin(PluginHandler(plugin: context, function: function, userData: definition.user_data)),
            flags: definition.flags,
            maxBodyBytes: definition.max_body_bytes == 0
                ? context.registry.defaultBodyLimit : Int(clamping: definition.max_body_bytes),
            metadata: metadata
        )
        switch context.registry.addRoute(method: method, path: path, target: target) {
        case .success: return IA_OK
        case .failure(let error): return refuse(context, error)
        }
    }

    static func middleware(_ context: PluginContext, _ pointer: UnsafePointer<ia_middleware_def>) -> ia_status {
        guard context.phase == .initializing else { return refuse(context, .wrongPhase("plugin '\(context.name)' registered middleware outside init")) }
        guard let definition = SizedStruct.read(pointer) else {
            return refuse(context, .invalid("plugin '\(context.name)' passed an ia_middleware_def with a struct_size smaller than ABI 1.0's"))
        }
        let name = CString.string(definition.name)
        guard let function = definition.run else {
            return refuse(context, .invalid("middleware '\(name)' of plugin '\(context.name)' has no function"))
        }
        let entry = MiddlewareEntry(
            name: name,
            order: definition.order,
            nonblocking: definition.flags & UInt32(IA_MIDDLEWARE_NONBLOCKING) != 0,
            plugin: context,
            function: function,
            userData: definition.user_data
        )
        switch context.registry.addMiddleware(entry) {
        case .success: return IA_OK
        case .failure(let error): return refuse(context, error)
        }
    }

    static func command(_ context: PluginContext, _ pointer: UnsafePointer<ia_cli_command_def>) -> ia_status {
        guard context.phase == .initializing else { return refuse(context, .wrongPhase("plugin '\(context.name)' registered a command outside init")) }
        guard let definition = SizedStruct.read(pointer) else {
            return refuse(context, .invalid("plugin '\(context.name)' passed an ia_cli_command_def with a struct_size smaller than ABI 1.0's"))
        }
        let name = CString.string(definition.name)
        guard let function = definition.run else {
            return refuse(context, .invalid("command '\(name)' of plugin '\(context.name)' has no function"))
        }
        let entry = CommandEntry(
            name: name,
            summary: CString.string(definition.summary),
            usage: CString.string(definition.usage),
            plugin: context,
            function: function,
            userData: definition.user_data
        )
        switch context.registry.addCommand(entry) {
        case .success: return IA_OK
        case .failure(let error): return refuse(context, error)
        }
    }

    static func metric(_ context: PluginContext, _ pointer: UnsafePointer<ia_metric_def>) -> OpaquePointer? {
        guard let definition = SizedStruct.read(pointer) else {
            context.logger.error("plugin '\(context.name)' passed an ia_metric_def with a struct_size smaller than ABI 1.0's")
            return nil
        }
        let name = CString.string(definition.name)
        var labels: [(String, String)] = []
        if definition.label_count > 0 {
            guard definition.label_count <= 32, let names = definition.label_names, let values = definition.label_values else {
                context.logger.error("metric '\(name)' of plugin '\(context.name)' has labels without names or values")
                return nil
            }
            for index in 0..<definition.label_count {
                labels.append((CString.string(names[index]), CString.string(values[index])))
            }
        }
        var buckets: [Double] = []
        if definition.bucket_count > 0, let pointer = definition.buckets {
            buckets = Array(UnsafeBufferPointer(start: pointer, count: min(definition.bucket_count, 64)))
        }
        switch context.registry.metrics.register(
            kind: definition.kind,
            name: name,
            help: CString.string(definition.help),
            labels: labels,
            buckets: buckets
        ) {
        case .success(let metric): return metric.opaque
        case .failure(let error):
            context.logger.error("plugin '\(context.name)': \(error)")
            return nil
        }
    }

    static func migration(_ context: PluginContext, _ pointer: UnsafePointer<ia_migration_def>) -> ia_status {
        guard context.phase == .initializing else { return refuse(context, .wrongPhase("plugin '\(context.name)' registered a migration outside init")) }
        guard let definition = SizedStruct.read(pointer) else {
            return refuse(context, .invalid("plugin '\(context.name)' passed an ia_migration_def with a struct_size smaller than ABI 1.1's"))
        }
        let migration = CommandBus.Migration(
            version: definition.version,
            name: CString.string(definition.name),
            sql: CString.string(definition.sql)
        )
        switch context.registry.commandBus.addMigration(migration, plugin: context.name) {
        case .success: return IA_OK
        case .failure(let error): return refuse(context, error)
        }
    }

    static func command(_ context: PluginContext, _ pointer: UnsafePointer<ia_command_def>, isQuery: Bool) -> ia_status {
        let kind = isQuery ? "query" : "command"
        guard context.phase == .initializing else { return refuse(context, .wrongPhase("plugin '\(context.name)' registered a \(kind) outside init")) }
        guard let definition = SizedStruct.read(pointer) else {
            return refuse(context, .invalid("plugin '\(context.name)' passed an ia_command_def with a struct_size smaller than ABI 1.1's"))
        }
        let name = CString.string(definition.name)
        guard let function = definition.run else {
            return refuse(context, .invalid("\(kind) '\(name)' of plugin '\(context.name)' has no function"))
        }
        let handler = CommandBus.Handler(
            plugin: context,
            name: name,
            flags: definition.flags,
            function: function,
            userData: definition.user_data
        )
        switch context.registry.commandBus.add(handler, isQuery: isQuery) {
        case .success: return IA_OK
        case .failure(let error): return refuse(context, error)
        }
    }

    static func eventHandler(_ context: PluginContext, _ pointer: UnsafePointer<ia_event_handler_def>) -> ia_status {
        guard context.phase == .initializing else {
            return refuse(context, .wrongPhase("plugin '\(context.name)' registered an event handler outside init"))
        }
        guard let definition = SizedStruct.read(pointer) else {
            return refuse(context, .invalid("plugin '\(context.name)' passed an ia_event_handler_def with a struct_size smaller than ABI 1.2's"))
        }
        let name = CString.string(definition.name)
        guard let function = definition.handle else {
            return refuse(context, .invalid("event handler '\(name)' of plugin '\(context.name)' has no function"))
        }
        let handler = EventBus.Handler(
            plugin: context,
            name: name,
            eventType: CString.string(definition.event_type),
            inProcess: definition.flags & UInt32(IA_EVENT_IN_PROCESS) != 0,
            maxAttempts: Int(definition.max_attempts),
            function: function,
            userData: definition.user_data
        )
        switch context.registry.addEventHandler(handler) {
        case .success: return IA_OK
        case .failure(let error): return refuse(context, error)
        }
    }

    static func job(_ context: PluginContext, _ pointer: UnsafePointer<ia_job_def>) -> ia_status {
        guard context.phase == .initializing else { return refuse(context, .wrongPhase("plugin '\(context.name)' registered a job outside init")) }
        guard let definition = SizedStruct.read(pointer) else {
            return refuse(context, .invalid("plugin '\(context.name)' passed an ia_job_def with a struct_size smaller than ABI 1.3's"))
        }
        let name = CString.string(definition.name)
        guard let function = definition.run else {
            return refuse(context, .invalid("job '\(name)' of plugin '\(context.name)' has no function"))
        }
        let job = JobScheduler.Job(
            plugin: context,
            name: name,
            intervalMilliseconds: definition.interval_ms,
            function: function,
            userData: definition.user_data
        )
        switch context.registry.addJob(job) {
        case .success: return IA_OK
        case .failure(let error): return refuse(context, error)
        }
    }

    static func blobStore(_ context: PluginContext, _ pointer: UnsafePointer<ia_blob_store_def>) -> ia_status {
        guard context.phase == .initializing else {
            return refuse(context, .wrongPhase("plugin '\(context.name)' registered a blob store outside init"))
        }
        guard let definition = SizedStruct.read(pointer) else {
            return refuse(context, .invalid("plugin '\(context.name)' passed an ia_blob_store_def with a struct_size smaller than ABI 1.4's"))
        }
        let store = BlobStores.Store(plugin: context, name: CString.string(definition.name), definition: definition)
        switch context.registry.addBlobStore(store) {
        case .success: return IA_OK
        case .failure(let error): return refuse(context, error)
        }
    }

    private static func refuse(_ context: PluginContext, _ error: RegistrationError) -> ia_status {
        context.refuse(error.description)
        return error.status
    }

    private static func nonEmpty(_ view: ia_str) -> String? {
        view.len == 0 ? nil : CString.string(view)
    }
}
