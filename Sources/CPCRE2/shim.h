#ifndef TRAWL_CPCRE2_SHIM_H
#define TRAWL_CPCRE2_SHIM_H

/// trawl matches bytes, so it uses the 8-bit code-unit library only.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>

/// PCRE2_ZERO_TERMINATED is a cast macro ((PCRE2_SIZE)~0) that Swift cannot import.
static inline PCRE2_SIZE trawl_pcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }

/// PCRE2_UNSET marks an unset capture group in the ovector; also a cast macro.
static inline PCRE2_SIZE trawl_pcre2_unset(void) { return PCRE2_UNSET; }

#endif
