import CImageAppPlugin
import Logging

extension HostAPI {
    /// ABI 1.8: the parts of a multipart body (`request_part_*`), for routes registered with `IA_ROUTE_MULTIPART`.
    static func addMultipart(to api: inout ia_host_api) {
        api.request_part_count = { request, out in
            out?.pointee = 0
            guard let exchange = Exchange.from(request), let out else { return IA_ERR_INVALID_ARGUMENT }
            guard let form = exchange.multipart else { return IA_ERR_UNSUPPORTED }
            out.pointee = form.parts.count
            return IA_OK
        }
        api.request_part_at = { request, index, out in
            guard let out, UnsafeRawPointer(out).load(as: UInt32.self) >= 8 else { return IA_ERR_INVALID_ARGUMENT }
            // On failure the zeroed struct is written: no stale views from an earlier call.
            var filled = ia_multipart_part()
            let status: ia_status
            if let exchange = Exchange.from(request) {
                if let form = exchange.multipart {
                    if index < form.parts.count {
                        filled = form.view(index)
                        status = IA_OK
                    } else {
                        status = IA_ERR_NOT_FOUND
                    }
                } else {
                    status = IA_ERR_UNSUPPORTED
                }
            } else {
                status = IA_ERR_INVALID_ARGUMENT
            }
            SizedStruct.write(filled, to: out)
            return status
        }
        api.request_part_bytes = { request, index, data, length in
            data?.pointee = nil
            length?.pointee = 0
            guard let exchange = Exchange.from(request) else { return IA_ERR_INVALID_ARGUMENT }
            guard let form = exchange.multipart else { return IA_ERR_UNSUPPORTED }
            guard index < form.parts.count else { return IA_ERR_NOT_FOUND }
            guard let bytes = form.bytes(index) else {
                exchange.logger.error("cannot map a spooled multipart part", metadata: ["part": "\(index)"])
                return IA_ERR_INTERNAL
            }
            data?.pointee = bytes.baseAddress
            length?.pointee = bytes.count
            return IA_OK
        }
    }
}
