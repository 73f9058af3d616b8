/// SQL fragments for the API's timestamps.
public enum SQLTimestamp {
    /// An SQL expression writing timestamp `column` as RFC 3339 in UTC with milliseconds (docs/API.md: timestamps are
    /// RFC 3339 in UTC), such as `2026-12-03T17:55:18.069Z`; `NULL` stays `NULL`.
    public static func rfc3339(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }
}
