import CImageAppPlugin

extension PluginRegistrar {
    /// Registers a command-line subcommand, `image-app NAME --config FILE [args...]`.
    ///
    /// It runs on the main thread after every enabled plugin has been initialised and started, and may read stdin and
    /// write stdout and stderr.
    ///
    /// - Parameters:
    ///   - name: The command, `[a-z0-9-]`, unique and not a built-in command.
    ///   - summary: One line for `image-app plugins` and help.
    ///   - usage: The arguments, such as `"[NAME]"`.
    ///   - run: Gets the host and the arguments after NAME (without `--config FILE`); returns the exit code.
    /// - Throws: ``PluginRegistrationError`` when the host refuses it, for example a duplicate name.
    public func command(
        name: String,
        summary: String = "",
        usage: String = "",
        run: @escaping @Sendable (PluginHost, [String]) -> Int32
    ) throws(PluginRegistrationError) {
        let userData = CallbackBox(run, api: nil).retainedForever()
        let status = withIAStrs([name, summary, usage]) { views in
            var command = ia_cli_command_def()
            command.struct_size = PluginABI.structSize(of: ia_cli_command_def.self)
            command.name = views[0]
            command.summary = views[1]
            command.usage = views[2]
            command.user_data = userData
            command.run = { userData, api, hostHandle, argc, argv in
                guard let userData, let api, let hostHandle else { return 70 }  // EX_SOFTWARE
                let box = CallbackBox<@Sendable (PluginHost, [String]) -> Int32>.from(userData)
                let arguments = (0..<Int(max(argc, 0))).map { index in
                    argv?[index].map { String(cString: $0) } ?? ""
                }
                return box.callback(PluginHost(api: api, handle: hostHandle), arguments)
            }
            return host.api.pointee.register_cli_command?(host.handle, &command) ?? IA_ERR_UNSUPPORTED
        }
        try PluginRegistrationError.check(status, kind: .command, name: name)
    }
}
