import ImageAppPlugin

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension ExampleSwiftPlugin {
    /// The `example-hello [NAME]` command: prints the configured greeting.
    func registerHelloCommand(_ registrar: PluginRegistrar) throws {
        try registrar.command(name: "example-hello", summary: "Prints the configured greeting", usage: "[NAME]") {
            _,
            arguments in
            print("\(greeting), \(arguments.first ?? "world")!")
            // The host may exit without flushing our stdio buffers.
            fflush(nil)
            return 0
        }
    }
}
