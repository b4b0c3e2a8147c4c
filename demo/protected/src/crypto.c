/*
 * acme-gateway - tunnel crypto wrapper around the NexaCrypt SDK
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company and SDK.)
 *
 * Two key slots are kept: packets are sealed with the newest epoch and opened
 * with whichever slot matches the epoch carried in the tunnel header, so that
 * a rekey does not drop in-flight packets. Nonce = salt || 64-bit sequence.
 * Replay protection uses a 1024-packet sliding window per slot.
 */
#include "crypto.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <nexacrypt/nx_aead.h>
#include <nexacrypt/nx_engine.h>

#include "log.h"

#define REPLAY_WINDOW 1024
#define REPLAY_WORDS (REPLAY_WINDOW / 64)

struct key_slot {
	bool valid;
	uint32_t epoch;
	nx_aead_handle *tx, *rx;
	uint8_t salt[4];
	uint64_t tx_seq;
	uint64_t rx_top;
	uint64_t rx_bitmap[REPLAY_WORDS];
};

struct agw_crypto_ctx {
	enum agw_cipher cipher;
	struct key_slot slot[AGW_KEY_SLOTS];
	unsigned current;
	uint64_t auth_failures, replays;
};

static nx_engine *g_engine;

int agw_crypto_global_init(const char *engine_name)
{
	nx_status st;

	st = nx_engine_open(engine_name ? engine_name : NX_ENGINE_DEFAULT,
			    NX_ENGINE_F_THREADSAFE, &g_engine);
	if (st != NX_OK) {
		agw_err("crypto: cannot open engine '%s': %s",
			engine_name ? engine_name : "default", nx_status_str(st));
		return -EIO;
	}
	agw_info("crypto: engine %s, hw offload %s", nx_engine_name(g_engine),
		 nx_engine_has_offload(g_engine) ? "yes" : "no");
	return 0;
}

void agw_crypto_global_cleanup(void)
{
	if (g_engine)
		nx_engine_close(g_engine);
	g_engine = NULL;
}

const char *agw_cipher_name(enum agw_cipher cipher)
{
	switch (cipher) {
	case AGW_CIPHER_AES256_GCM: return "aes256-gcm";
	case AGW_CIPHER_CHACHA20_POLY1305: return "chacha20-poly1305";
	}
	return "unknown";
}

static nx_alg to_nx_alg(enum agw_cipher cipher)
{
	return cipher == AGW_CIPHER_AES256_GCM ? NX_ALG_AES_256_GCM
					       : NX_ALG_CHACHA20_POLY1305;
}

struct agw_crypto_ctx *agw_crypto_ctx_new(enum agw_cipher cipher)
{
	struct agw_crypto_ctx *ctx = calloc(1, sizeof(*ctx));

	if (ctx)
		ctx->cipher = cipher;
	return ctx;
}

static void slot_clear(struct key_slot *s)
{
	if (s->tx)
		nx_aead_free(s->tx);
	if (s->rx)
		nx_aead_free(s->rx);
	nx_memzero(s, sizeof(*s));
}

void agw_crypto_ctx_free(struct agw_crypto_ctx *ctx)
{
	if (!ctx)
		return;
	for (unsigned i = 0; i < AGW_KEY_SLOTS; i++)
		slot_clear(&ctx->slot[i]);
	free(ctx);
}

int agw_crypto_install_keys(struct agw_crypto_ctx *ctx,
			    const struct agw_tunnel_keys *keys)
{
	unsigned next = (ctx->current + 1) % AGW_KEY_SLOTS;
	struct key_slot *s = &ctx->slot[next];
	nx_alg alg = to_nx_alg(ctx->cipher);

	slot_clear(s);
	if (nx_aead_new(g_engine, alg, keys->tx_key, AGW_KEY_LEN, &s->tx) != NX_OK ||
	    nx_aead_new(g_engine, alg, keys->rx_key, AGW_KEY_LEN, &s->rx) != NX_OK) {
		slot_clear(s);
		return -EINVAL;
	}
	memcpy(s->salt, keys->salt, sizeof(s->salt));
	s->epoch = keys->epoch;
	s->valid = true;
	ctx->current = next;
	agw_notice("crypto: installed keys for epoch %u (%s)", keys->epoch,
		   agw_cipher_name(ctx->cipher));
	return 0;
}

static void make_nonce(const struct key_slot *s, uint64_t seq,
		       uint8_t nonce[AGW_NONCE_LEN])
{
	memcpy(nonce, s->salt, 4);
	for (int i = 0; i < 8; i++)
		nonce[4 + i] = (uint8_t)(seq >> (56 - 8 * i));
}

int agw_crypto_seal(struct agw_crypto_ctx *ctx, const uint8_t *aad,
		    size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
		    uint64_t *seq_out)
{
	struct key_slot *s = &ctx->slot[ctx->current];
	uint8_t nonce[AGW_NONCE_LEN];
	size_t out_len = len + AGW_TAG_LEN;

	if (!s->valid)
		return -ENOKEY;
	if (s->tx_seq == UINT64_MAX)
		return -EOVERFLOW; /* must rekey long before this */
	*seq_out = ++s->tx_seq;
	make_nonce(s, *seq_out, nonce);
	if (nx_aead_seal(s->tx, nonce, sizeof(nonce), aad, aad_len, in, len, out,
			 &out_len) != NX_OK)
		return -EIO;
	return (int)out_len;
}

/* Returns true when seq is new, and records it. */
static bool replay_check_and_set(struct key_slot *s, uint64_t seq)
{
	uint64_t diff;

	if (seq == 0)
		return false;
	if (seq > s->rx_top) {
		diff = seq - s->rx_top;
		if (diff >= REPLAY_WINDOW) {
			memset(s->rx_bitmap, 0, sizeof(s->rx_bitmap));
		} else {
			for (uint64_t q = s->rx_top + 1; q <= seq; q++)
				s->rx_bitmap[(q / 64) % REPLAY_WORDS] &=
					~(1ull << (q % 64));
		}
		s->rx_top = seq;
	} else if (s->rx_top - seq >= REPLAY_WINDOW) {
		return false;
	}
	if (s->rx_bitmap[(seq / 64) % REPLAY_WORDS] & (1ull << (seq % 64)))
		return false;
	s->rx_bitmap[(seq / 64) % REPLAY_WORDS] |= 1ull << (seq % 64);
	return true;
}

int agw_crypto_open(struct agw_crypto_ctx *ctx, uint32_t epoch, uint64_t seq,
		    const uint8_t *aad, size_t aad_len, const uint8_t *in,
		    size_t len, uint8_t *out)
{
	uint8_t nonce[AGW_NONCE_LEN];
	struct key_slot *s = NULL;
	size_t out_len = len;

	for (unsigned i = 0; i < AGW_KEY_SLOTS; i++)
		if (ctx->slot[i].valid && ctx->slot[i].epoch == epoch)
			s = &ctx->slot[i];
	if (!s || len < AGW_TAG_LEN)
		return -ENOKEY;
	make_nonce(s, seq, nonce);
	if (nx_aead_open(s->rx, nonce, sizeof(nonce), aad, aad_len, in, len, out,
			 &out_len) != NX_OK) {
		ctx->auth_failures++;
		agw_warn_ratelimited(10, "crypto: authentication failed (epoch %u)",
				     epoch);
		return -EBADMSG;
	}
	if (!replay_check_and_set(s, seq)) {
		ctx->replays++;
		return -EALREADY;
	}
	return (int)out_len;
}
