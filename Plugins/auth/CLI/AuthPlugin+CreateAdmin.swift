import AuthContract
import Foundation
import ImageAppPlugin
import PluginSupport

extension AuthPlugin {
    /// `image-app create-admin --config FILE --handle H --email E`, password on stdin: makes an admin account (with
    /// a confirmed email), the way the first admin of a new site is made.
    func registerCreateAdmin(_ registrar: PluginRegistrar) throws {
        try registrar.command(
            name: "create-admin",
            summary: "Creates an admin account (the password is read from stdin)",
            usage: "--handle HANDLE --email EMAIL < password"
        ) { host, arguments in
            createAdmin(host, arguments)
        }
    }

    private func createAdmin(_ host: PluginHost, _ arguments: [String]) -> Int32 {
        func fail(_ code: Int32, _ message: String) -> Int32 {
            FileHandle.standardError.write(Data("create-admin: \(message)\n".utf8))
            return code
        }
        var options: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let name = arguments[index]
            guard ["--handle", "--email"].contains(name), index + 1 < arguments.count else {
                return fail(64, "unexpected argument '\(name)'; usage: create-admin --handle HANDLE --email EMAIL < password")
            }
            options[name] = arguments[index + 1]
            index += 2
        }
        guard let handle = options["--handle"], let email = options["--email"] else {
            return fail(64, "--handle and --email are required; the password is read from stdin")
        }
        let password = readLine(strippingNewline: true) ?? ""
        var problems = FieldProblems()
        problems.check("handle", AccountRules.handleProblem(handle, reserved: settings.reservedHandles.subtracting(["admin"])))
        problems.check("email", AccountRules.emailProblem(email))
        problems.check("password", AccountRules.passwordProblem(password, handle: handle, email: email))
        if !problems.details.isEmpty {
            let text = problems.details.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; ")
            return fail(65, text)
        }
        do {
            let account = try host.dispatchCommand(
                "auth.create_admin",
                payload: ["handle": handle, "email": email, "password_hash": try passwords.hash(password)],
                as: Account.self
            )
            print("created admin @\(account.handle) (id \(account.id))")
            return 0
        } catch let error as HTTPError {
            return fail(error.status == 409 ? 65 : 69, error.message)
        } catch {
            return fail(70, "\(error)")
        }
    }
}
