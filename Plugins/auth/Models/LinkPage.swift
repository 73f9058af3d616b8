import ImageAppPlugin

/// The small HTML pages behind the links in auth's mail (`/verify-email`, `/reset-password`): plain forms, no script,
/// so they work before any web UI exists and leak nothing. The token stays in the form, never in a Referer
/// (`Referrer-Policy: no-referrer`), and nothing is cached.
struct LinkPage {
    var title: String
    /// Inner HTML, already escaped where it carries data.
    var body: String
    var status: Int = 200

    var response: Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer"><title>\(Self.escape(title)) · Image App</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#222}
            input,button{font:inherit;padding:.5rem;width:100%;box-sizing:border-box;margin:.25rem 0}
            button{background:#222;color:#fff;border:0;border-radius:4px;cursor:pointer}.error{color:#b00020}</style>
            </head><body><h1>\(Self.escape(title))</h1>
            \(body)
            </body></html>
            """
        return Response(
            status: status,
            headers: [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Cache-Control", "no-store"),
                ("Referrer-Policy", "no-referrer"),
                ("X-Content-Type-Options", "nosniff"),
                ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"),
            ],
            body: Array(html.utf8)
        )
    }

    /// Text made safe inside HTML elements and attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
