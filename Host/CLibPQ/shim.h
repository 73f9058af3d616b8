/* CLibPQ: libpq (PostgreSQL's C client) for Swift. Debian: libpq-dev. */
#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H
#include <postgresql/libpq-fe.h>

/* PG_DIAG_* are character macros; Swift imports them, but a named constant reads better. */
static inline int CLibPQ_diagSQLState(void) { return PG_DIAG_SQLSTATE; }
static inline int CLibPQ_diagMessagePrimary(void) { return PG_DIAG_MESSAGE_PRIMARY; }
static inline int CLibPQ_diagMessageDetail(void) { return PG_DIAG_MESSAGE_DETAIL; }
static inline int CLibPQ_diagConstraintName(void) { return PG_DIAG_CONSTRAINT_NAME; }

#endif
