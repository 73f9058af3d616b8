import ImageAppPlugin

/// The web UI: an app of standard ES modules and CSS over the JSON API, served with content-hashed names.
///
/// The plugin itself only serves files: the page shell (the same HTML for every page of the app, which the client
/// router then fills from the API) and the assets under `/assets/`, read once at start from `assets_dir`.
struct WebPlugin: Sendable {
    let settings: WebSettings
    let catalog: AssetCatalog
    let shell: AppShell

    static func initialize(_ registrar: PluginRegistrar) throws {
        let settings = try WebSettings(registrar.host)
        let catalog = try AssetCatalog(directory: settings.assetsDirectory)
        let plugin = WebPlugin(settings: settings, catalog: catalog, shell: try AppShell(catalog: catalog, settings: settings))
        try plugin.registerAssets(registrar)
        try plugin.registerFavicon(registrar)
        try plugin.registerPages(registrar)
        registrar.host.log(.info, "web: \(catalog.count) assets from \(settings.assetsDirectory)")
    }
}
