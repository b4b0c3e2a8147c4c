/* bitset.h - fixed-size bit sets stored in 64-bit words. Public domain. */
#ifndef TINYMAT_BITSET_H
#define TINYMAT_BITSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct {
    size_t nbits;
    uint64_t *words;
} bitset;

static inline size_t bitset_words(size_t nbits)
{
    return (nbits + 63) / 64;
}

static inline bool bitset_init(bitset *b, size_t nbits)
{
    b->nbits = nbits;
    b->words = calloc(bitset_words(nbits) ? bitset_words(nbits) : 1, sizeof(uint64_t));
    return b->words != NULL;
}

static inline void bitset_free(bitset *b)
{
    free(b->words);
    b->words = NULL;
    b->nbits = 0;
}

static inline void bitset_set(bitset *b, size_t i)
{
    b->words[i / 64] |= UINT64_C(1) << (i % 64);
}

static inline void bitset_clear(bitset *b, size_t i)
{
    b->words[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

static inline bool bitset_test(const bitset *b, size_t i)
{
    return (b->words[i / 64] >> (i % 64)) & 1;
}

static inline size_t bitset_count(const bitset *b)
{
    size_t n = 0;

    for (size_t w = 0; w < bitset_words(b->nbits); w++)
        n += (size_t)__builtin_popcountll(b->words[w]);
    return n;
}

#endif
