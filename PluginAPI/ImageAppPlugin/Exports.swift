// Plugin authors get the C contract (ia_* types, IA_* constants) with a single `import ImageAppPlugin`.
@_exported public import CImageAppPlugin
