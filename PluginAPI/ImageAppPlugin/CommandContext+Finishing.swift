import CImageAppPlugin

// How the SDK turns what a command or query handler returned, or threw, into host calls and the status the
// trampoline returns. The Swift counterpart of Request+Responding.swift.

extension CommandContext {
    /// Sets the result (if any) and returns `IA_OK`.
    func finish(with result: CommandResult, name: String) -> ia_status {
        guard let json = result.json else { return IA_OK }
        let status = PluginStatus(
            rawValue: json.withIAStr { api.pointee.command_set_result?(handle, $0) ?? IA_ERR_UNSUPPORTED }
        )
        guard status == .ok else {
            host.log(.error, "'\(name)': the host refused the result: \(status)")
            return IA_ERR_INTERNAL
        }
        return IA_OK
    }

    /// The status for an error thrown by a handler:
    /// - ``HTTPError``: a refusal (`command_fail_details` — or `command_fail` on hosts before ABI 1.6, which
    ///   drops `details` — then `IA_ERR_REJECTED`). `headers` do not cross.
    /// - ``DatabaseError``: its own status, so that the host retries transient failures and reports the others.
    /// - Anything else: logged, `IA_ERR_INTERNAL`.
    func finish(throwing error: any Error, name: String) -> ia_status {
        switch error {
        case let refusal as HTTPError:
            let withDetails = !refusal.details.isEmpty && api.has(\.command_fail_details)
            let status = PluginStatus(
                rawValue: refusal.code.withIAStr { code in
                    refusal.message.withIAStr { message in
                        guard withDetails else {
                            return api.pointee.command_fail?(handle, Int32(clamping: refusal.status), code, message)
                                ?? IA_ERR_UNSUPPORTED
                        }
                        return refusal.detailsJSON.withIAStr { details in
                            api.pointee.command_fail_details?(handle, Int32(clamping: refusal.status), code, message, details)
                                ?? IA_ERR_UNSUPPORTED
                        }
                    }
                }
            )
            guard status == .ok else {
                // command_fail takes 400-599 and a non-empty code.
                host.log(.error, "'\(name)': the host refused the refusal \(refusal): \(status)")
                return IA_ERR_INTERNAL
            }
            return IA_ERR_REJECTED
        case let failure as DatabaseError:
            host.log(.debug, "'\(name)' attempt \(attempt): \(failure)")
            return failure.status.isError ? failure.status.rawValue : IA_ERR_INTERNAL
        default:
            host.log(.error, "'\(name)' failed: \(String(reflecting: error))")
            return IA_ERR_INTERNAL
        }
    }
}
