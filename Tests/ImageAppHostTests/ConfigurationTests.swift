import ImageAppTesting
import Testing

@testable import ImageAppHost

/// Parsing and validating plugins.conf (pure logic, no processes).
struct ConfigurationTests {
    @Test func defaultsApplyWhenHostSectionIsEmpty() throws {
        let configuration = try HostConfiguration.parse(text: "", path: "p.conf")
        #expect(configuration.host == HostSettings())
        #expect(configuration.plugins.isEmpty)
    }

    @Test func readsHostAndPluginSectionsInFileOrder() throws {
        let text = """
            [host]
            listen = "[::1]:9000"
            worker_threads = 3
            request_timeout_seconds = 2.5
            trusted_proxies = ["10.0.0.0/8", "::1"]

            [plugins.zeta]
            enabled = true
            greeting = "hi"
            [plugins.zeta.smtp]
            port = 25

            [plugins.alpha]
            enabled = false
            library = "/opt/alpha.so"
            """
        let configuration = try HostConfiguration.parse(text: text, path: "p.conf")
        #expect(configuration.host.listen == ListenAddress(host: "::1", port: 9000))
        #expect(configuration.host.workerThreads == 3)
        #expect(configuration.host.requestTimeoutSeconds == 2.5)
        #expect(configuration.host.trustedProxies.count == 2)
        #expect(configuration.plugins.map(\.name) == ["zeta", "alpha"])
        #expect(configuration.plugins[0].library == "libzeta.so")
        #expect(configuration.plugins[0].settings["greeting"] == .string("hi"))
        #expect(ConfigValue.table(configuration.plugins[0].settings).value(atPath: "smtp.port") == .int(25))
        #expect(configuration.enabledPlugins.map(\.name) == ["zeta"])
        #expect(configuration.plugins[1].library == "/opt/alpha.so")
    }

    @Test func multipartSettingsAndTheirDefaults() throws {
        let defaults = MultipartSettings(HostSettings())
        #expect(defaults.memoryBytes == 256 * 1024 && defaults.maxParts == 64)
        #expect(defaults.temporaryDirectory.hasSuffix("/image-app-uploads"))
        let text = """
            [host]
            multipart_memory_bytes = 1024
            multipart_max_parts = 3
            multipart_max_part_bytes = 2048
            multipart_max_total_bytes = 4096
            multipart_temp_dir = "spool"
            """
        let host = try HostConfiguration.parse(text: text, path: "/etc/image-app/p.conf").host
        let settings = MultipartSettings(host)
        #expect(settings.memoryBytes == 1024 && settings.maxParts == 3 && settings.maxPartBytes == 2048)
        #expect(settings.maxTotalBytes == 4096)
        #expect(settings.temporaryDirectory == "/etc/image-app/spool")
        // A route's own limits win; the rest are the host's.
        let route = MultipartRoute(maxParts: 9, maxPartBytes: nil, maxTotalBytes: 100)
        #expect(route.limits(settings) == MultipartLimits(maxParts: 9, maxPartBytes: 2048, maxTotalBytes: 100))
    }

    @Test func environmentOverridesHostKeysAndPluginSettings() throws {
        let text = """
            [plugins.mail-out]
            secret = "from-file"
            [plugins.mail-out.smtp]
            port = 25
            """
        let configuration = try HostConfiguration.parse(
            text: text,
            path: "p.conf",
            environment: [
                "IMAGEAPP_HOST_LISTEN": "0.0.0.0:9999",
                "IMAGEAPP_HOST_WORKER_THREADS": "7",
                "IMAGEAPP_PLUGIN_MAIL_OUT__SECRET": "from-env",
                "IMAGEAPP_PLUGIN_MAIL_OUT__SMTP_PORT": "2525",
                "IMAGEAPP_PLUGIN_MAIL_OUT__API_TOKEN": "tok",
            ]
        )
        #expect(configuration.host.listen == ListenAddress(host: "0.0.0.0", port: 9999))
        #expect(configuration.host.workerThreads == 7)
        let settings = ConfigValue.table(configuration.plugins[0].settings)
        #expect(settings.value(atPath: "secret") == .string("from-env"))
        // Overrides are text; typed getters parse them.
        #expect(settings.value(atPath: "smtp.port") == .string("2525"))
        #expect(settings.value(atPath: "api_token") == .string("tok"))
    }

    @Test(arguments: [
        ("[host]\nworker_threads = \"many\"\n", 2, "host.worker_threads must be an integer"),
        ("[host]\n\nlisten = \"nohost\"\n", 3, "host.listen must be HOST:PORT"),
        ("[host]\nlog_level = \"loud\"\n", 2, "host.log_level must be one of"),
        ("[host]\nworkers = 4\n", 2, "unknown key 'host.workers'"),
        ("[host]\nmultipart_max_parts = 0\n", 2, "host.multipart_max_parts must be an integer"),
        ("[host]\nmultipart_max_part_bytes = -1\n", 2, "host.multipart_max_part_bytes must be an integer"),
        ("[host]\ntrusted_proxies = [\"10.0.0.0/33\"]\n", 2, "is not an IP address or CIDR range"),
        ("[plugins.Bad_Name]\nenabled = true\n", 1, "plugin name 'Bad_Name'"),
        ("[plugins.ok]\nenabled = \"yes\"\n", 2, "plugins.ok.enabled must be true or false"),
        ("[host]\nlisten = \"a:1\"\n[oops]\nx = 1\n", 3, "unknown section or key 'oops'"),
        ("[host]\nlisten = \"127.0.0.1:80\"\nlisten = 3\n", 3, "TOML syntax error"),
        // Inputs that made toml++ (TOMLKit) abort the process; our parser reports them.
        ("[host]\n[=]\n", 2, "TOML syntax error"),
        ("# c\n[.a]\n", 2, "TOML syntax error"),
        ("[host]\n\n[[ = 1\n", 3, "TOML syntax error"),
        ("[host]\nlisten = \"\"\"\n[=]\n\"\"\"\n[ = 1\n", 5, "TOML syntax error"),
        ("[plugins.x]\na = [}\n", 2, "TOML syntax error"),
    ])
    func errorsNameTheLine(text: String, line: Int, message: String) {
        #expect {
            try HostConfiguration.parse(text: text, path: "bad.conf")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.file == "bad.conf" && error.line == line && error.message.contains(message)
        }
    }

    @Test func bracketsInsideValuesAreNotMistakenForHeaders() throws {
        let text = "[plugins.x]\nlist = [\n  [+1, 2],\n  [1.5],\n]\nnote = \"\"\"\n[=]\n\"\"\"\n"
        let configuration = try HostConfiguration.parse(text: text, path: "p.conf")
        #expect(configuration.plugins.first?.settings["note"] == .string("[=]\n"))
    }

    @Test func missingFileIsAClearError() {
        #expect {
            try HostConfiguration.load(path: "/nonexistent/plugins.conf")
        } throws: { error in
            (error as? ConfigError)?.description.contains("cannot read the configuration file") == true
        }
    }
}
