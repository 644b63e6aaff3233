#ifndef TRAWL_CZLIB_SHIM_H
#define TRAWL_CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2 is a macro over inflateInit2_ (it passes the version and struct size),
/// which Swift cannot import; expose it as a function.
static inline int trawl_inflate_init2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

/// deflateInit2 is a macro over deflateInit2_; windowBits 15 + 16 writes gzip.
static inline int trawl_deflate_init2(z_streamp strm, int level, int windowBits) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
#endif
