import CImageAppPlugin
import Logging

/// The registration slots of the host API: validate, copy, add to the registry.
enum Registration {
    static func route(_ context: PluginContext, _ pointer: UnsafePointer<ia_route_def>) -> ia_status {
        guard context.phase == .initializing else { return refuse(context, .wrongPhase("plugin '\(context.name)' registered a route outside init")) }
        guard let definition = SizedStruct.read(pointer, minimumSize: MinimumSize.route) else {
            return refuse(context, tooSmall(context, "ia_route_def", pointer, MinimumSize.route))
        }
        let method = CString.string(definition.method)
        let path = CString.string(definition.path)
        if let problem = unknownFlags(context, "ia_route_def", "route \(method) \(path)", definition.flags, known: KnownFlags.route) {
            return refuse(context, problem)
        }
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
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || "!#$&-^_.+".contains($0) } })
            else {
                return refuse(
                    context,
                    .invalid("route \(method) \(path) of plugin '\(context.name)': request_content_type '\(type)' is not a media type")
                )
            }
            metadata.requestContentType = type.lowercased()
        }
        if definition.flags & UInt32(IA_ROUTE_MULTIPART) != 0, nonEmpty(definition.request_content_type) == nil {
            metadata.requestContentType = "multipart/form-data"
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
        var target = RouteTarget(
            owner: context.name,
            kind: .plugin(PluginHandler(plugin: context, function: function, userData: definition.user_data)),
            flags: definition.flags,
            maxBodyBytes: definition.max_body_bytes == 0
                ? context.registry.defaultBodyLimit : Int(clamping: definition.max_body_bytes),
            metadata: metadata
        )
        // ABI 1.11: facts for middleware, a JSON object of strings (zero when an older struct_size leaves it out).
        if let text = nonEmpty(definition.metadata) {
            let refusal = RegistrationError.invalid("route \(method) \(path) of plugin '\(context.name)': metadata is not a JSON object of strings")
            guard case .object(let members) = JSONValue.parse(text) ?? .null else { return refuse(context, refusal) }
            for (key, value) in members {
                guard case .string(let text) = value else { return refuse(context, refusal) }
                target.labels[key] = text
            }
        }
        if definition.flags & UInt32(IA_ROUTE_MULTIPART) != 0 {
            // ABI 1.8 fields; zero (also when an older struct_size leaves them out) takes the host's setting.
            target.multipart = MultipartRoute(
                maxParts: definition.multipart_max_parts == 0 ? nil : Int(definition.multipart_max_parts),
                maxPartBytes: definition.multipart_max_part_bytes == 0 ? nil : Int(clamping: definition.multipart_max_part_bytes),
                maxTotalBytes: definition.max_body_bytes == 0 ? nil : Int(clamping: definition.max_body_bytes)
            )
        }
        if definition.flags & UInt32(IA_ROUTE_FORM_OR_BODY) != 0 {
            guard definition.flags & UInt32(IA_ROUTE_MULTIPART) != 0 else {
                return refuse(
                    context,
                    .invalid("route \(method) \(path) of plugin '\(context.name)' sets IA_ROUTE_FORM_OR_BODY without IA_ROUTE_MULTIPART")
                )
            }
            // ABI 1.13: a plain body is held in memory like any other route's, so it gets the host's plain limit, not
            // the form's (max_body_bytes is the form's total on a multipart route).
            target.multipart?.plainBodyBytes = context.registry.defaultBodyLimit
            target.metadata.acceptsPlainBody = true
            if let text = nonEmpty(definition.body_schema) {
                guard let schema = JSONValue.parse(text), case .object = schema else {
                    return refuse(context, .invalid("route \(method) \(path) of plugin '\(context.name)': body_schema is not a JSON object"))
                }
                target.metadata.bodySchema = schema
            }
        }
        switch context.registry.addRoute(method: method, path: path, target: target) {
        case .success: return IA_OK
        case .failure(let error): return refuse(context, error)
        }
    }

    static func middleware(_ context: PluginContext, _ pointer: UnsafePointer<ia_middleware_def>) -> ia_status {
        guard context.phase == .initializing else {
            return refuse(context, .wrongPhase("plugin '\(context.name)' registered middleware outside init"))
        }
        guard let definition = SizedStruct.read(pointer, minimumSize: MinimumSize.middleware) else {
            return refuse(context, tooSmall(context, "ia_middleware_def", pointer, MinimumSize.middleware))
        }
        let name = CString.string(definition.name)
        if let problem = unknownFlags(context, "ia_middleware_def", "middleware '\(name)'", definition.flags, known: KnownFlags.middleware) {
            return refuse(context, problem)
        }
        guard let function = definition.run else {
            return refuse(context, .invalid("middleware '\(name)' of plugin '\(context.name)' has no function"))
        }
        let entry = MiddlewareEntry(
            name: name,
            order: definition.order,
            nonblocking: definition.flags & UInt32(IA_MIDDLEWARE_NONBLOCKING) != 0,
            // Without the flag (every plugin built before 1.10), the body is read before it runs, as it always was.
            readsBody: definition.flags & UInt32(IA_MIDDLEWARE_BEFORE_BODY) == 0,
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
        guard context.phase == .initializing else {
            return refuse(context, .wrongPhase("plugin '\(context.name)' registered a command outside init"))
        }
        guard let definition = SizedStruct.read(pointer, minimumSize: MinimumSize.cliCommand) else {
            return refuse(context, tooSmall(context, "ia_cli_command_def", pointer, MinimumSize.cliCommand))
        }
        let name = CString.string(definition.name)
        if let problem = unknownFlags(context, "ia_cli_command_def", "command '\(name)'", definition.flags, known: KnownFlags.cliCommand) {
            return refuse(context, problem)
        }
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
        // Metrics are part of what `init` declares (listed by `image-app plugins`); a later
        // registration would also race the scrapes of GET /metrics.
        guard context.phase == .initializing else {
            context.logger.error("plugin '\(context.name)' called metric_register outside init; it returns NULL")
            return nil
        }
        guard let definition = SizedStruct.read(pointer, minimumSize: MinimumSize.metric) else {
            context.logger.error("\(tooSmall(context, "ia_metric_def", pointer, MinimumSize.metric))")
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
        guard context.phase == .initializing else {
            return refuse(context, .wrongPhase("plugin '\(context.name)' registered a migration outside init"))
        }
        guard let definition = SizedStruct.read(pointer, minimumSize: MinimumSize.migration) else {
            return refuse(context, tooSmall(context, "ia_migration_def", pointer, MinimumSize.migration))
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
        guard context.phase == .initializing else {
            return refuse(context, .wrongPhase("plugin '\(context.name)' registered a \(kind) outside init"))
        }
        guard let definition = SizedStruct.read(pointer, minimumSize: MinimumSize.command) else {
            return refuse(context, tooSmall(context, "ia_command_def", pointer, MinimumSize.command))
        }
        let name = CString.string(definition.name)
        if let problem = unknownFlags(context, "ia_command_def", "\(kind) '\(name)'", definition.flags, known: KnownFlags.command) {
            return refuse(context, problem)
        }
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
        guard let definition = SizedStruct.read(pointer, minimumSize: MinimumSize.eventHandler) else {
            return refuse(context, tooSmall(context, "ia_event_handler_def", pointer, MinimumSize.eventHandler))
        }
        let name = CString.string(definition.name)
        if let problem = unknownFlags(context, "ia_event_handler_def", "event handler '\(name)'", definition.flags, known: KnownFlags.eventHandler) {
            return refuse(context, problem)
        }
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
        guard let definition = SizedStruct.read(pointer, minimumSize: MinimumSize.job) else {
            return refuse(context, tooSmall(context, "ia_job_def", pointer, MinimumSize.job))
        }
        let name = CString.string(definition.name)
        if let problem = unknownFlags(context, "ia_job_def", "job '\(name)'", definition.flags, known: KnownFlags.job) {
            return refuse(context, problem)
        }
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
        guard let definition = SizedStruct.read(pointer, minimumSize: MinimumSize.blobStore) else {
            return refuse(context, tooSmall(context, "ia_blob_store_def", pointer, MinimumSize.blobStore))
        }
        let storeName = CString.string(definition.name)
        if let problem = unknownFlags(context, "ia_blob_store_def", "blob store '\(storeName)'", definition.flags, known: KnownFlags.blobStore) {
            return refuse(context, problem)
        }
        let store = BlobStores.Store(plugin: context, name: CString.string(definition.name), definition: definition)
        switch context.registry.addBlobStore(store) {
        case .success: return IA_OK
        case .failure(let error): return refuse(context, error)
        }
    }

    /// The refusal of a struct smaller than its size in the minor that introduced it.
    private static func tooSmall<T>(_ context: PluginContext, _ structName: String, _ pointer: UnsafePointer<T>, _ minimum: Int) -> RegistrationError
    {
        let declared = UnsafeRawPointer(pointer).load(as: UInt32.self)
        return .invalid(
            "plugin '\(context.name)' passed an \(structName) with struct_size \(declared), smaller than the \(minimum) bytes of its first ABI version; set struct_size to sizeof(\(structName))"
        )
    }

    /// The refusal of flag bits this host does not know, or nil when there are none.
    static func unknownFlags(_ context: PluginContext, _ structName: String, _ what: String, _ flags: UInt32, known: UInt32) -> RegistrationError? {
        let unknown = flags & ~known
        guard unknown != 0 else { return nil }
        return .invalid(
            "plugin '\(context.name)' passed an \(structName) (\(what)) with unknown flag bits 0x\(String(unknown, radix: 16)) (this host knows 0x\(String(known, radix: 16))); they are reserved: clear them, or run a host that defines them"
        )
    }

    private static func refuse(_ context: PluginContext, _ error: RegistrationError) -> ia_status {
        context.refuse(error.description)
        return error.status
    }

    private static func nonEmpty(_ view: ia_str) -> String? {
        view.len == 0 ? nil : CString.string(view)
    }
}
