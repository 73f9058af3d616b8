import CImageAppPlugin
import NIOPosix

extension HostAPI {
    /// ABI 1.1: migrations, commands, queries, the database and buffers.
    static func addDataServices(to api: inout ia_host_api) {
        api.register_migration = { host, definition in
            guard let context = PluginContext.from(host), let definition else { return IA_ERR_INVALID_ARGUMENT }
            return Registration.migration(context, definition)
        }
        api.register_command = { host, definition in
            guard let context = PluginContext.from(host), let definition else { return IA_ERR_INVALID_ARGUMENT }
            return Registration.command(context, definition, isQuery: false)
        }
        api.register_query = { host, definition in
            guard let context = PluginContext.from(host), let definition else { return IA_ERR_INVALID_ARGUMENT }
            return Registration.command(context, definition, isQuery: true)
        }
        api.dispatch_command = { host, name, payload, result, error in
            HostAPI.dispatch(host, name, payload, result, error, isQuery: false)
        }
        api.dispatch_query = { host, name, payload, result, error in
            HostAPI.dispatch(host, name, payload, result, error, isQuery: true)
        }

        api.command_payload = { command, out in
            guard let context = CommandContext.from(command), let out else { return IA_ERR_INVALID_ARGUMENT }
            out.pointee = context.arena.view(context.payload)
            return IA_OK
        }
        api.command_set_result = { command, json in
            guard let context = CommandContext.from(command) else { return IA_ERR_INVALID_ARGUMENT }
            context.result = CString.string(json)
            return IA_OK
        }
        api.command_fail = { command, status, code, message in
            guard let context = CommandContext.from(command), (400...599).contains(status), code.len > 0 else {
                return IA_ERR_INVALID_ARGUMENT
            }
            context.failure = CommandFailure(status: status, code: CString.string(code), message: CString.string(message))
            return IA_OK
        }
        api.command_fail_details = { command, status, code, message, details in
            guard let context = CommandContext.from(command), (400...599).contains(status), code.len > 0,
                let parsed = JSONValue.parse(CString.string(details)), case .object = parsed
            else { return IA_ERR_INVALID_ARGUMENT }
            context.failure = CommandFailure(
                status: status,
                code: CString.string(code),
                message: CString.string(message),
                details: parsed.text
            )
            return IA_OK
        }
        api.command_attempt = { command in
            CommandContext.from(command)?.attempt ?? 0
        }
        api.command_db = { command in
            CommandContext.from(command)?.session.handle
        }

        api.db_execute = { db, sql, params, count, result, errorBuffer in
            result?.pointee = nil  // NULL on every failure
            guard let session = DatabaseSession.from(db) else { return IA_ERR_INVALID_ARGUMENT }
            guard session.hasDatabase else {
                ErrorBuffer.write(
                    errorBuffer,
                    status: IA_ERR_STATE,
                    message: "a service command (IA_COMMAND_NO_TRANSACTION) has no database: dispatch a data command for database work"
                )
                return IA_ERR_STATE
            }
            if let failure = session.failure {
                ErrorBuffer.write(
                    errorBuffer,
                    status: IA_ERR_DATABASE,
                    message: "an earlier statement failed (\(failure)); the transaction accepts no more statements",
                    sqlState: "25P02"
                )
                return IA_ERR_DATABASE
            }
            var values: [PostgresValue] = []
            if count > 0 {
                guard let params else { return IA_ERR_INVALID_ARGUMENT }
                for index in 0..<count {
                    let param = params[index]
                    switch param.type {
                    case Int32(IA_DB_NULL): values.append(.null)
                    case Int32(IA_DB_TEXT): values.append(.text(CString.string(param.value)))
                    case Int32(IA_DB_BYTES):
                        values.append(
                            .bytes(param.value.len == 0 ? [] : Array(UnsafeRawBufferPointer(start: param.value.data, count: param.value.len)))
                        )
                    default:
                        ErrorBuffer.write(
                            errorBuffer,
                            status: IA_ERR_INVALID_ARGUMENT,
                            message: "parameter \(index + 1) has unknown type \(param.type)"
                        )
                        return IA_ERR_INVALID_ARGUMENT
                    }
                }
            }
            do throws(PostgresError) {
                // A query's session leases its connection and begins its transaction here, on its first statement.
                let rows = try session.open().query(CString.string(sql), values)
                result?.pointee = ResultHandle(result: rows).retainedHandle()
                return IA_OK
            } catch {
                session.failure = error
                let status: ia_status =
                    error.kind == .connection || error.kind == .poolExhausted
                    ? IA_ERR_UNAVAILABLE
                    : (error.sqlState?.hasPrefix("23") ?? false) ? IA_ERR_CONFLICT : IA_ERR_DATABASE
                ErrorBuffer.write(errorBuffer, status: status, message: error.description, sqlState: error.sqlState)
                return status
            }
        }
        api.db_result_rows = { result in
            ResultHandle.from(result).map { $0.result.rowCount } ?? 0
        }
        api.db_result_columns = { result in
            ResultHandle.from(result).map { $0.result.columnCount } ?? 0
        }
        api.db_result_column_name = { result, column, out in
            guard let handle = ResultHandle.from(result), let out else { return IA_ERR_INVALID_ARGUMENT }
            guard let view = handle.columnName(column) else { return IA_ERR_NOT_FOUND }
            out.pointee = view
            return IA_OK
        }
        api.db_result_value = { result, row, column, out in
            guard let handle = ResultHandle.from(result), let out else { return IA_ERR_INVALID_ARGUMENT }
            guard let view = handle.value(row: row, column: column) else { return IA_ERR_NOT_FOUND }
            out.pointee = view
            return IA_OK
        }
        api.db_result_affected = { result in
            ResultHandle.from(result).map { UInt64($0.result.affectedRows) } ?? 0
        }
        api.db_result_free = { result in
            guard let result else { return }
            Unmanaged<ResultHandle>.fromOpaque(UnsafeRawPointer(result)).release()
        }

        api.buffer_view = { buffer, out in
            guard let host = HostBuffer.from(buffer), let out else { return IA_ERR_INVALID_ARGUMENT }
            out.pointee = host.view
            return IA_OK
        }
        api.buffer_free = { buffer in
            guard let buffer else { return }
            Unmanaged<HostBuffer>.fromOpaque(UnsafeRawPointer(buffer)).release()
        }
    }

    /// ABI 1.2: events.
    static func addEvents(to api: inout ia_host_api) {
        api.event_raise = { command, type, payload in
            guard let context = CommandContext.from(command), type.len > 0, type.len <= 200 else { return IA_ERR_INVALID_ARGUMENT }
            // A query is read only; a service command has no transaction the event could commit with.
            guard context.kind == .command else { return IA_ERR_STATE }
            context.events.append((CString.string(type), payload.len == 0 ? "null" : CString.string(payload)))
            return IA_OK
        }
        api.register_event_handler = { host, definition in
            guard let context = PluginContext.from(host), let definition else { return IA_ERR_INVALID_ARGUMENT }
            return Registration.eventHandler(context, definition)
        }
        // ABI 1.3: jobs.
        api.register_job = { host, definition in
            guard let context = PluginContext.from(host), let definition else { return IA_ERR_INVALID_ARGUMENT }
            return Registration.job(context, definition)
        }
    }

    /// `dispatch_command` and `dispatch_query`.
    private static func dispatch(
        _ host: OpaquePointer?,
        _ name: ia_str,
        _ payload: ia_str,
        _ result: UnsafeMutablePointer<OpaquePointer?>?,
        _ error: UnsafeMutablePointer<ia_error>?,
        isQuery: Bool
    ) -> ia_status {
        result?.pointee = nil  // NULL on every failure but a refusal
        guard let context = PluginContext.from(host) else { return IA_ERR_INVALID_ARGUMENT }
        // Blocking an event loop would stall every connection on it.
        if MultiThreadedEventLoopGroup.currentEventLoop != nil {
            ErrorBuffer.write(
                error,
                status: IA_ERR_STATE,
                message: "dispatch must not run on an event loop: mark the route blocking (not IA_ROUTE_NONBLOCKING)"
            )
            return IA_ERR_STATE
        }
        let payloadText = payload.len == 0 ? "{}" : CString.string(payload)
        switch context.registry.commandBus.dispatch(CString.string(name), payload: payloadText, isQuery: isQuery) {
        case .ok(let json):
            if let json { result?.pointee = HostBuffer(json).retainedHandle() }
            return IA_OK
        case .rejected(let failure):
            result?.pointee = HostBuffer(failure.json).retainedHandle()
            ErrorBuffer.write(error, status: failure.status, message: failure.message)
            return IA_ERR_REJECTED
        case .failed(let status, let message, let sqlState):
            ErrorBuffer.write(error, status: status, message: message, sqlState: sqlState)
            return status
        }
    }
}
