/* CHiredis: hiredis (Redis's C client) for Swift. Debian: libhiredis-dev.
 *
 * Swift calls the argv forms (redisCommandArgv, redisAppendCommandArgv, redisGetReply) and reads
 * redisReply fields directly; the helpers below cover only what Swift cannot reach cleanly. */
#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>

/* errstr is a char[128], which Swift imports as a 128-element tuple. */
static inline const char *CHiredis_errorString(const redisContext *context) { return context->errstr; }

/* RESP3 reply types exist from hiredis 1.0 on (Debian 12 ships 0.14, which never returns them).
 * -1 matches no reply, so Swift can switch over all of them whichever version it is built against. */
static inline int CHiredis_replyDouble(void) {
#ifdef REDIS_REPLY_DOUBLE
    return REDIS_REPLY_DOUBLE;
#else
    return -1;
#endif
}
static inline int CHiredis_replyBool(void) {
#ifdef REDIS_REPLY_BOOL
    return REDIS_REPLY_BOOL;
#else
    return -1;
#endif
}
static inline int CHiredis_replyMap(void) {
#ifdef REDIS_REPLY_MAP
    return REDIS_REPLY_MAP;
#else
    return -1;
#endif
}
static inline int CHiredis_replySet(void) {
#ifdef REDIS_REPLY_SET
    return REDIS_REPLY_SET;
#else
    return -1;
#endif
}
static inline int CHiredis_replyAttribute(void) {
#ifdef REDIS_REPLY_ATTR
    return REDIS_REPLY_ATTR;
#else
    return -1;
#endif
}
static inline int CHiredis_replyPush(void) {
#ifdef REDIS_REPLY_PUSH
    return REDIS_REPLY_PUSH;
#else
    return -1;
#endif
}
static inline int CHiredis_replyBigNumber(void) {
#ifdef REDIS_REPLY_BIGNUM
    return REDIS_REPLY_BIGNUM;
#else
    return -1;
#endif
}
static inline int CHiredis_replyVerbatim(void) {
#ifdef REDIS_REPLY_VERB
    return REDIS_REPLY_VERB;
#else
    return -1;
#endif
}

#endif
