/* libmagic: what a file is, by its content. Debian: libmagic-dev. */
#ifndef IMAGEAPP_CMAGIC_SHIM_H
#define IMAGEAPP_CMAGIC_SHIM_H
#include <magic.h>
#endif
