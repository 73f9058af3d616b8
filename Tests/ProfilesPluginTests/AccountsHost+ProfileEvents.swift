import Foundation
import ImageAppHost
import ImageAppTesting

extension AccountsHost {
    /// The payloads of the `user.profile_updated` events in the outbox, oldest first.
    func profileEvents() throws -> [[String: Any]] {
        let connection = try PostgresConnection(url: database.url)
        let rows = try connection.query("SELECT payload FROM ia_outbox WHERE type = 'user.profile_updated' ORDER BY id")
        return (0..<rows.rowCount).compactMap { row in
            rows.string(row, 0).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }
}
