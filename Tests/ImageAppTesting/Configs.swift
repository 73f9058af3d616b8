/// Configuration texts the tests start hosts with.
public enum Configs {
    /// Both example plugins enabled, with settings the tests check for.
    public static let examples = """
        [host]
        log_level = "warning"
        worker_threads = 4
        body_limit_bytes = 4096
        request_timeout_seconds = 20
        shutdown_timeout_seconds = 20

        [plugins.example-c]
        enabled = true
        greeting = "Howdy"

        [plugins.example-swift]
        enabled = true
        greeting = "Ahoy"
        max_delay_ms = 16000
        """

    /// A config enabling `plugins` (name → extra TOML lines) on top of quiet host settings.
    public static func with(_ plugins: [(String, String)], host: String = "") -> String {
        var text = "[host]\nlog_level = \"warning\"\n\(host)\n"
        for (name, extra) in plugins {
            text += "\n[plugins.\(name)]\nenabled = true\n\(extra)\n"
        }
        return text
    }
}
