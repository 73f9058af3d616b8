import ImageAppPlugin
import PluginSupport

extension AuthPlugin {
    /// Counts an anonymous request against a per-address limit (IPv6 by `ipv6_prefix`) and, for IPv6 clients, a
    /// larger per-network one (by `ipv6_network_prefix`); refuses it with 429 when either is spent.
    ///
    /// - Returns: The per-address key, for limits that combine it with an account.
    @discardableResult
    func enforceAddressLimits(_ perAddress: RateLimit, _ perNetwork: RateLimit, for request: Request) throws(HTTPError) -> String {
        let address = ClientAddress.limitKey(request.peer, ipv6Prefix: settings.ipv6Prefix)
        try limiter.enforce(perAddress, key: address)
        if let network = ClientAddress.networkKey(request.peer, ipv6Prefix: settings.ipv6NetworkPrefix) {
            try limiter.enforce(perNetwork, key: network)
        }
        return address
    }
}
