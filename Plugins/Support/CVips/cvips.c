#include "CVips.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <vips/vips.h>
#include <webp/mux.h>

/* The loaders uploads may reach (the class names of their bases; subclasses follow). */
static const char *const allowed_loaders[] = {
    "VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadNsgif", "VipsForeignLoadHeif",
};

static void copy_text(char *error, size_t error_size, const char *prefix, const char *text) {
    if (error == NULL || error_size == 0) return;
    snprintf(error, error_size, "%s%s%s", prefix, text && *text ? ": " : "", text ? text : "");
    /* One line: libvips separates messages with newlines. */
    for (char *c = error; *c; c++) if (*c == '\n') *c = ' ';
}

/* Copies and clears libvips' error text (one buffer for the whole process; taking it under its lock). */
static void vips_failure(char *error, size_t error_size, const char *prefix) {
    char *text = vips_error_buffer_copy();
    copy_text(error, error_size, prefix, text);
    g_free(text);
}

static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

/* This copy of the shim's lock and state: each plugin library links its own copy. Plugins are initialised one at a
 * time, so two copies never start libvips at once. */
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int initialised = 0;

/* Starts libvips (a no-op when another copy already has) and locks it down; under init_lock. The loader and operation
 * blocks are process-wide in libvips, but are set by every copy: libvips may have been started by code that did not. */
static int start(char *error, size_t error_size) {
    if (initialised) return IA_VIPS_OK;
    if (VIPS_INIT("image-app") != 0) {
        vips_failure(error, error_size, "vips_init failed");
        return IA_VIPS_FAILED;
    }
    /* Decoder warnings (a truncated file, say) become errors through fail_on; the text is not worth stderr. */
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG,
                      drop_log, NULL);
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (size_t i = 0; i < sizeof allowed_loaders / sizeof allowed_loaders[0]; i++) {
        vips_operation_block_set(allowed_loaders[i], FALSE);
    }
    initialised = 1;
    return IA_VIPS_OK;
}

static void set_bounds(int threads, int cache_max_operations, size_t cache_max_bytes) {
    vips_concurrency_set(threads > 0 ? threads : 1);
    vips_cache_set_max(cache_max_operations >= 0 ? cache_max_operations : 0);
    vips_cache_set_max_mem(cache_max_bytes);
    vips_cache_set_max_files(cache_max_operations >= 0 ? cache_max_operations : 0);
}

int ia_vips_init(int threads, int cache_max_operations, size_t cache_max_bytes, char *error, size_t error_size) {
    pthread_mutex_lock(&init_lock);
    int status = start(error, error_size);
    if (status == IA_VIPS_OK) set_bounds(threads, cache_max_operations, cache_max_bytes);
    pthread_mutex_unlock(&init_lock);
    return status;
}

int ia_vips_join(char *error, size_t error_size) {
    pthread_mutex_lock(&init_lock);
    /* vips_init sets argv0: non-NULL means libvips already runs here, started by some other copy with its bounds. */
    int running = vips_get_argv0() != NULL;
    int status = start(error, error_size);
    if (status == IA_VIPS_OK && !running) set_bounds(1, 0, 0);
    pthread_mutex_unlock(&init_lock);
    return status;
}

void ia_vips_thread_shutdown(void) { vips_thread_shutdown(); }

static int loader_allowed(const char *loader) {
    for (size_t i = 0; i < sizeof allowed_loaders / sizeof allowed_loaders[0]; i++) {
        if (strncmp(loader, allowed_loaders[i], strlen(allowed_loaders[i])) == 0) return 1;
    }
    return 0;
}

static void *describe_field(VipsImage *image, const char *name, GValue *value, void *data) {
    (void)image; (void)value;
    ia_vips_header *header = data;
    if (strcmp(name, VIPS_META_EXIF_NAME) == 0) header->has_exif = 1;
    if (strncmp(name, "exif-ifd3-", 10) == 0) header->has_gps = 1;
    if (strcmp(name, VIPS_META_XMP_NAME) == 0) header->has_xmp = 1;
    if (strcmp(name, VIPS_META_IPTC_NAME) == 0) header->has_iptc = 1;
    return NULL;
}

int ia_vips_read_header(const void *data, size_t size, ia_vips_header *header, char *error, size_t error_size) {
    memset(header, 0, sizeof *header);
    const char *loader = vips_foreign_find_load_buffer(data, size);
    if (loader == NULL) {
        vips_error_clear();
        copy_text(error, error_size, "not an image libvips reads", NULL);
        return IA_VIPS_UNSUPPORTED;
    }
    snprintf(header->loader, sizeof header->loader, "%s", loader);
    /* libvips 8.14's sniffer still names blocked loaders: check the name ourselves. */
    if (!loader_allowed(loader)) {
        copy_text(error, error_size, "loader not allowed", loader);
        return IA_VIPS_UNSUPPORTED;
    }
    /* Sequential access parses the header only: no pixels are decoded or allocated here. */
    VipsImage *image = vips_image_new_from_buffer(data, size, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (image == NULL) {
        vips_failure(error, error_size, "unreadable header");
        return IA_VIPS_CORRUPT;
    }
    header->width = vips_image_get_width(image);
    header->height = vips_image_get_height(image);
    header->pages = vips_image_get_n_pages(image);
    header->orientation = vips_image_get_orientation(image);
    header->bands = vips_image_get_bands(image);
    if (vips_image_get_typeof(image, VIPS_META_ICC_NAME)) {
        const void *icc = NULL;
        size_t icc_size = 0;
        header->has_icc = 1;
        if (vips_image_get_blob(image, VIPS_META_ICC_NAME, &icc, &icc_size) == 0) header->icc_bytes = (int32_t)icc_size;
    }
    vips_image_map(image, describe_field, header);
    g_object_unref(image);
    return IA_VIPS_OK;
}

/* WebP: libvips 8.14's webpsave ignores `strip` and always writes a fresh EXIF chunk; delete EXIF and XMP with
 * libwebpmux (the ICCP chunk stays). Replaces *data (g_malloc'ed) on success. */
static int strip_webp(void **data, size_t *size) {
    WebPData input = {.bytes = *data, .size = *size};
    WebPMux *mux = WebPMuxCreate(&input, 0);
    if (mux == NULL) return -1;
    WebPMuxDeleteChunk(mux, "EXIF");
    WebPMuxDeleteChunk(mux, "XMP ");
    WebPData assembled;
    WebPDataInit(&assembled);
    WebPMuxError status = WebPMuxAssemble(mux, &assembled);
    WebPMuxDelete(mux);
    if (status != WEBP_MUX_OK) return -1;
    void *copy = g_malloc(assembled.size);
    memcpy(copy, assembled.bytes, assembled.size);
    g_free(*data);
    *data = copy;
    *size = assembled.size;
    WebPDataClear(&assembled);
    return 0;
}

/* JPEG: `strip` would drop the ICC profile too, so the saver keeps metadata and we delete its APP1 (EXIF, XMP),
 * APP13 (IPTC) and COM segments here, before the first scan. */
static int strip_jpeg(unsigned char *bytes, size_t *size) {
    size_t length = *size, at = 2;
    if (length < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8) return -1;
    while (at + 4 <= length) {
        if (bytes[at] != 0xFF) return -1;
        unsigned char marker = bytes[at + 1];
        if (marker == 0xDA) break; /* start of scan: no metadata after it */
        size_t segment = 2 + ((size_t)bytes[at + 2] << 8 | bytes[at + 3]);
        if (at + segment > length) return -1;
        if (marker == 0xE1 || marker == 0xED || marker == 0xFE) {
            memmove(bytes + at, bytes + at + segment, length - at - segment);
            length -= segment;
        } else {
            at += segment;
        }
    }
    *size = length;
    return 0;
}

/* Saves a copy of `image` with every metadata field but the ICC profile removed (Mastodon's way: savers rebuild EXIF
 * from leftover exif-ifd* fields, so removing exif-data alone would keep GPS). */
static int save(VipsImage *image, const ia_vips_options *options, void **data, size_t *size, char *error,
                size_t error_size) {
    VipsImage *copy = NULL;
    if (vips_copy(image, &copy, NULL) != 0) {
        vips_failure(error, error_size, "copy failed");
        return IA_VIPS_FAILED;
    }
    gchar **fields = vips_image_get_fields(copy);
    for (int i = 0; fields[i] != NULL; i++) {
        if (strcmp(fields[i], VIPS_META_ICC_NAME) != 0) vips_image_remove(copy, fields[i]);
    }
    g_strfreev(fields);

    int failed;
    if (options->format == IA_VIPS_JPEG) {
        VipsImage *opaque = NULL;
        if (vips_image_hasalpha(copy)) {
            /* JPEG has no alpha: flatten onto white rather than libvips' default black. */
            VipsArrayDouble *white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
            failed = vips_flatten(copy, &opaque, "background", white, NULL);
            vips_area_unref(VIPS_AREA(white));
            if (failed) {
                g_object_unref(copy);
                vips_failure(error, error_size, "flatten failed");
                return IA_VIPS_FAILED;
            }
        } else {
            opaque = copy;
            g_object_ref(opaque);
        }
        failed = vips_jpegsave_buffer(opaque, data, size, "Q", options->quality, "optimize_coding", TRUE, NULL);
        g_object_unref(opaque);
        if (!failed && strip_jpeg(*data, size) != 0) failed = -2;
    } else {
        failed = vips_webpsave_buffer(copy, data, size, "Q", options->quality, "effort", options->webp_effort, NULL);
        if (!failed && strip_webp(data, size) != 0) failed = -2;
    }
    g_object_unref(copy);
    if (failed == -2) {
        copy_text(error, error_size, "cannot remove the saver's metadata", NULL);
        return IA_VIPS_FAILED;
    }
    if (failed) {
        vips_failure(error, error_size, "save failed");
        return IA_VIPS_FAILED;
    }
    /* Check what we wrote: no EXIF, GPS, XMP or IPTC may be left. */
    ia_vips_header check;
    char ignored[8];
    if (ia_vips_read_header(*data, *size, &check, ignored, sizeof ignored) != IA_VIPS_OK || check.has_exif ||
        check.has_gps || check.has_xmp || check.has_iptc) {
        copy_text(error, error_size, "an output kept metadata or cannot be read back", NULL);
        return IA_VIPS_FAILED;
    }
    return IA_VIPS_OK;
}

/* 8-bit sRGB (plus alpha if any): greyscale, 16-bit and CMYK inputs are converted; others pass untouched. */
static int to_srgb8(VipsImage *in, VipsImage **out) {
    VipsImage *image = in;
    g_object_ref(image);
    if (vips_image_guess_interpretation(image) != VIPS_INTERPRETATION_sRGB) {
        VipsImage *converted = NULL;
        int failed = vips_colourspace(image, &converted, VIPS_INTERPRETATION_sRGB, NULL);
        g_object_unref(image);
        if (failed) return -1;
        image = converted;
    }
    if (vips_image_get_format(image) != VIPS_FORMAT_UCHAR) {
        VipsImage *cast = NULL;
        int failed = vips_cast_uchar(image, &cast, NULL);
        g_object_unref(image);
        if (failed) return -1;
        image = cast;
    }
    *out = image;
    return 0;
}

/* The one decode, into the large variant's box: shrink-on-load, the first frame only (loaders default to n=1),
 * orientation applied, a truncated file an error (thumbnail_buffer ignores its own fail_on: it must go in
 * option_string). The box is square either way (height defaults to width); crop fills it, cutting from the centre. */
static int decode(const void *data, size_t size, const ia_vips_options *options, VipsImage **out) {
    VipsInteresting crop = options->crop_square ? VIPS_INTERESTING_CENTRE : VIPS_INTERESTING_NONE;
    return options->to_srgb
        ? vips_thumbnail_buffer((void *)data, size, out, options->large_size, "height", options->large_size, "crop", crop,
                                "size", VIPS_SIZE_DOWN, "option_string", "fail_on=error", "export_profile", "srgb", NULL)
        : vips_thumbnail_buffer((void *)data, size, out, options->large_size, "height", options->large_size, "crop", crop,
                                "size", VIPS_SIZE_DOWN, "option_string", "fail_on=error", NULL);
}

/* The centre square of `in`, as wide as its short side. Needed after decode's crop when the short side is under the
 * box: size=down then neither scales nor fills, and the crop keeps both sides that are under the box. */
static int centre_square(VipsImage *in, VipsImage **out) {
    int width = vips_image_get_width(in), height = vips_image_get_height(in);
    int side = width < height ? width : height;
    return vips_extract_area(in, out, (width - side) / 2, (height - side) / 2, side, side, NULL);
}

int ia_vips_process(const void *data, size_t size, const ia_vips_options *options, ia_vips_output *output,
                    char *error, size_t error_size) {
    memset(output, 0, sizeof *output);
    VipsImage *thumb = NULL, *srgb = NULL, *large = NULL, *small = NULL, *tiny = NULL, *rgb = NULL;
    int status = IA_VIPS_OK;

    if (decode(data, size, options, &thumb)) {
        vips_failure(error, error_size, "cannot decode");
        return IA_VIPS_CORRUPT;
    }
    if (to_srgb8(thumb, &srgb) != 0) {
        vips_failure(error, error_size, "cannot convert to sRGB");
        status = IA_VIPS_CORRUPT;
        goto done;
    }
    if (options->crop_square && vips_image_get_width(srgb) != vips_image_get_height(srgb)) {
        VipsImage *square = NULL;
        if (centre_square(srgb, &square)) {
            vips_failure(error, error_size, "cannot crop");
            status = IA_VIPS_FAILED;
            goto done;
        }
        g_object_unref(srgb);
        srgb = square;
    }
    /* Decoding happens here: the large variant in memory, from which the others are made (from a square, squares). */
    large = vips_image_copy_memory(srgb);
    if (large == NULL) {
        vips_failure(error, error_size, "cannot decode");
        status = IA_VIPS_CORRUPT;
        goto done;
    }
    output->large_width = vips_image_get_width(large);
    output->large_height = vips_image_get_height(large);
    if (vips_thumbnail_image(large, &small, options->small_size, "size", VIPS_SIZE_DOWN, "no_rotate", TRUE, NULL) ||
        vips_thumbnail_image(large, &tiny, options->pixels_size, "size", VIPS_SIZE_DOWN, "no_rotate", TRUE, NULL) ||
        vips_extract_band(tiny, &rgb, 0, "n", 3, NULL)) {
        vips_failure(error, error_size, "cannot resize");
        status = IA_VIPS_FAILED;
        goto done;
    }
    output->small_width = vips_image_get_width(small);
    output->small_height = vips_image_get_height(small);
    if ((status = save(large, options, &output->large, &output->large_size, error, error_size)) != IA_VIPS_OK) goto done;
    if ((status = save(small, options, &output->small, &output->small_size, error, error_size)) != IA_VIPS_OK) goto done;
    size_t pixels_size = 0;
    output->pixels = vips_image_write_to_memory(rgb, &pixels_size);
    if (output->pixels == NULL) {
        vips_failure(error, error_size, "cannot read pixels");
        status = IA_VIPS_FAILED;
        goto done;
    }
    output->pixels_width = vips_image_get_width(rgb);
    output->pixels_height = vips_image_get_height(rgb);

done:
    if (rgb) g_object_unref(rgb);
    if (tiny) g_object_unref(tiny);
    if (small) g_object_unref(small);
    if (large) g_object_unref(large);
    if (srgb) g_object_unref(srgb);
    if (thumb) g_object_unref(thumb);
    return status;
}

void ia_vips_output_free(ia_vips_output *output) {
    g_free(output->large);
    g_free(output->small);
    g_free(output->pixels);
    memset(output, 0, sizeof *output);
}
