/*
 * no_entry.c — test fixture: a shared library that is NOT an Image App plugin.
 *
 * It deliberately does not export `imageapp_plugin_entry`, so the host must refuse to load it
 * and say that the entry symbol is missing. It exports one harmless function so the library
 * is a normal, non-empty shared object.
 */

/* Some exported function that is not the entry point. */
__attribute__((visibility("default")))
int not_the_entry_point(void) {
    return 0;
}
