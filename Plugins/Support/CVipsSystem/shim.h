/* libvips and libwebpmux, for the CVips shim only (Debian: libvips-dev, libwebp-dev). Swift code imports CVips,
 * whose header uses plain C types, never this module: the libvips headers pull in GLib. */
#ifndef IMAGEAPP_CVIPSSYSTEM_SHIM_H
#define IMAGEAPP_CVIPSSYSTEM_SHIM_H
#include <vips/vips.h>
#include <webp/mux.h>
#endif
