/* OpenSSL's libcrypto, as the plugins use it: scrypt, the CSPRNG, SHA-256 and CRYPTO_memcmp.
 * Debian: libssl-dev. */
#ifndef IMAGEAPP_CCRYPTO_SHIM_H
#define IMAGEAPP_CCRYPTO_SHIM_H
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/err.h>
#endif
