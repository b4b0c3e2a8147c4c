/*
 * acme-gateway - tunnel crypto wrapper around the NexaCrypt SDK
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company and SDK.)
 */
#ifndef AGW_CRYPTO_H
#define AGW_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define AGW_KEY_LEN 32
#define AGW_NONCE_LEN 12
#define AGW_TAG_LEN 16
#define AGW_KEY_SLOTS 2 /* current and previous, for seamless rekeying */

enum agw_cipher {
	AGW_CIPHER_AES256_GCM = 1,
	AGW_CIPHER_CHACHA20_POLY1305 = 2,
};

struct agw_tunnel_keys {
	uint32_t epoch;
	uint8_t tx_key[AGW_KEY_LEN];
	uint8_t rx_key[AGW_KEY_LEN];
	uint8_t salt[4];
};

struct agw_crypto_ctx;

int agw_crypto_global_init(const char *engine_name);
void agw_crypto_global_cleanup(void);

struct agw_crypto_ctx *agw_crypto_ctx_new(enum agw_cipher cipher);
void agw_crypto_ctx_free(struct agw_crypto_ctx *ctx);
int agw_crypto_install_keys(struct agw_crypto_ctx *ctx,
			    const struct agw_tunnel_keys *keys);

/* out must hold len + AGW_TAG_LEN bytes; returns bytes written or < 0. */
int agw_crypto_seal(struct agw_crypto_ctx *ctx, const uint8_t *aad,
		    size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
		    uint64_t *seq_out);
/* in holds len bytes including the tag; returns plaintext length or < 0. */
int agw_crypto_open(struct agw_crypto_ctx *ctx, uint32_t epoch, uint64_t seq,
		    const uint8_t *aad, size_t aad_len, const uint8_t *in,
		    size_t len, uint8_t *out);

const char *agw_cipher_name(enum agw_cipher cipher);

#endif /* AGW_CRYPTO_H */
