/* A thin, fixed-arity shim over libvips for the plugins that process images (media's uploads, profiles' avatars):
 * libvips' operations are C-variadic and VIPS_INIT is a macro, neither of which Swift imports. Every function is
 * prefixed `ia_vips_`, uses plain C types only, and is safe to call from any thread once ia_vips_init (or
 * ia_vips_join) has returned 0. Errors are copied into the caller's buffer (libvips' own error buffer is one per
 * process, shared by every thread). This is an interface between our own targets, not the plugin ABI. */
#ifndef IMAGEAPP_CVIPS_H
#define IMAGEAPP_CVIPS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Outcomes. */
enum {
    IA_VIPS_OK = 0,
    /* Not an image libvips may read here: no loader, or a loader off the allow-list (JPEG, PNG, WebP, GIF, HEIF). */
    IA_VIPS_UNSUPPORTED = 1,
    /* A readable type whose content is truncated or corrupt. */
    IA_VIPS_CORRUPT = 2,
    /* Anything else (out of memory, an output that kept metadata): a failure of ours, not the client's. */
    IA_VIPS_FAILED = 3,
};

/* Output encodings. */
enum { IA_VIPS_WEBP = 0, IA_VIPS_JPEG = 1 };

/* Initialises libvips once per process (later calls only apply the bounds): at most `cache_max_operations` cached
 * operations and `cache_max_bytes` of cache, `threads` worker threads per pipeline, every loader blocked except
 * JPEG, PNG, WebP, GIF and HEIF, untrusted operations blocked, and libvips' GLib warnings silenced. libvips is never
 * shut down (it cannot be started again). Returns IA_VIPS_OK or IA_VIPS_FAILED. */
int ia_vips_init(int threads, int cache_max_operations, size_t cache_max_bytes, char *error, size_t error_size);

/* Like ia_vips_init with one thread and no cache, except that bounds already set in this process stay: for a plugin
 * without libvips settings of its own. Each plugin library links its own copy of this shim, but libvips is one per
 * process, so whichever plugin owns the bounds (media's vips_* settings) keeps them whatever the load order.
 * Returns IA_VIPS_OK or IA_VIPS_FAILED. */
int ia_vips_join(char *error, size_t error_size);

/* What the header of an encoded image says, read without decoding pixels. */
typedef struct ia_vips_header {
    int32_t width;       /* as stored, before orientation; one frame's */
    int32_t height;
    int32_t pages;       /* frames (GIF, WebP animation) or images (HEIF); 1 otherwise */
    int32_t orientation; /* EXIF orientation 1-8 (1 when absent) */
    int32_t bands;
    int32_t has_icc;
    int32_t has_exif;    /* an EXIF block */
    int32_t has_gps;     /* any EXIF GPS field (exif-ifd3-*) */
    int32_t has_xmp;
    int32_t has_iptc;
    int32_t icc_bytes;
    char loader[64];     /* libvips' loader class, e.g. VipsForeignLoadJpegBuffer */
} ia_vips_header;

/* Reads the header of `data` (the bytes are not copied and must live until the call returns).
 * IA_VIPS_UNSUPPORTED for a type off the allow-list, IA_VIPS_CORRUPT for an unreadable header. */
int ia_vips_read_header(const void *data, size_t size, ia_vips_header *header, char *error, size_t error_size);

/* How to make the variants. */
typedef struct ia_vips_options {
    int32_t large_size;    /* long side of the large variant, e.g. 1080; never upscaled */
    int32_t small_size;    /* long side of the small variant, e.g. 640 */
    int32_t pixels_size;   /* long side of the RGB pixels handed back for the blurhash, e.g. 100 */
    int32_t format;        /* IA_VIPS_WEBP or IA_VIPS_JPEG */
    int32_t quality;       /* 1-100 */
    int32_t webp_effort;   /* 0-6 */
    int32_t to_srgb;       /* convert through the embedded ICC profile to sRGB (attaching libvips' sRGB profile) */
    /* Appended last, so that callers that zero the struct keep the old behaviour. Nonzero: both variants are squares
     * cut from the centre, large_size and small_size their sides (an image whose short side is smaller gives a square
     * of that side: never upscaled). */
    int32_t crop_square;
} ia_vips_options;

/* The variants, encoded, with every metadata field but the ICC profile removed; plus small RGB pixels. */
typedef struct ia_vips_output {
    void *large;
    size_t large_size;
    int32_t large_width;
    int32_t large_height;
    void *small;
    size_t small_size;
    int32_t small_width;
    int32_t small_height;
    unsigned char *pixels; /* pixels_width * pixels_height * 3 bytes, sRGB, row by row, alpha dropped */
    int32_t pixels_width;
    int32_t pixels_height;
} ia_vips_output;

/* Decodes `data` once (shrink-on-load, first frame only, orientation applied, truncation an error), converts it to
 * 8-bit sRGB, and makes both variants and the pixels. Free the output with ia_vips_output_free whatever the result. */
int ia_vips_process(
    const void *data, size_t size, const ia_vips_options *options, ia_vips_output *output, char *error, size_t error_size
);

void ia_vips_output_free(ia_vips_output *output);

/* Frees libvips' per-thread buffers; call as a thread that used libvips ends. */
void ia_vips_thread_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif
