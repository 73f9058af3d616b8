import Foundation
import ImageAppTesting
import Testing

/// The registration's display name reaches the profile through a worker; an edit that lands first must not lose it,
/// unless the edit chose the name itself.
@Suite(.timeLimit(.minutes(12)))
struct ProfileRegistrationTests {
    @Test func anEarlyEditKeepsTheRegistrationsDisplayName() async throws {
        // An API-only instance: nothing handles user.registered until a worker starts.
        try await withAccounts(role: "api") { accounts in
            // Walt registers first: one worker handles the events in order, so once Vera's name shows, Walt's event was
            // handled too.
            let (walt, _, _) = try await accounts.register("walt", displayName: "Walt W.")
            let (vera, _, _) = try await accounts.register("vera", displayName: "Vera V.")
            #expect(try await accounts.send("PATCH", "/api/v1/me", json: ["bio": "Early."], token: vera).status == 200)
            // Walt removes the name on purpose: that choice stands.
            let cleared = try await accounts.send("PATCH", "/api/v1/me", json: ["display_name": NSNull(), "bio": "Nameless."], token: walt)
            #expect(cleared.status == 200, "\(cleared.text)")
            #expect(try await accounts.send("GET", "/api/v1/me", token: vera).json["display_name"] is NSNull)

            try await accounts.startInstance(role: "worker")
            let me = try await eventually({ try await accounts.send("GET", "/api/v1/me", token: vera) }) {
                $0.json["display_name"] as? String == "Vera V."
            }
            #expect(me.json["display_name"] as? String == "Vera V.")
            #expect(me.json["bio"] as? String == "Early.")
            // The filled-in name was announced like any profile change.
            let announced = try PostgresProbe.strings(
                accounts.database.url,
                "SELECT payload FROM ia_outbox WHERE type = 'user.profile_updated' ORDER BY id"
            )
            #expect(announced.contains { $0.contains("Vera V.") }, "\(announced)")

            // Walt's event was handled before Vera's, and left his choice alone.
            let waltMe = try await accounts.send("GET", "/api/v1/me", token: walt)
            #expect(waltMe.json["display_name"] is NSNull)
            #expect(waltMe.json["bio"] as? String == "Nameless.")
        }
    }
}
