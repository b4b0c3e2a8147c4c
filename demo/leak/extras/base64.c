/*
 * base64.c - small RFC 4648 base64 encoder and decoder, standard alphabet.
 *
 *   cc -O2 -o b64 base64.c
 *   ./b64 < file > file.b64      encode
 *   ./b64 -d < file.b64 > file   decode (ignores whitespace)
 */
#include <stdio.h>
#include <string.h>

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int value_of(int c)
{
    const char *p;

    if (c == '=')
        return -2;
    p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

static void encode_block(const unsigned char in[3], size_t n, char out[4])
{
    unsigned v = (unsigned)in[0] << 16;

    if (n > 1)
        v |= (unsigned)in[1] << 8;
    if (n > 2)
        v |= in[2];
    out[0] = alphabet[(v >> 18) & 63];
    out[1] = alphabet[(v >> 12) & 63];
    out[2] = n > 1 ? alphabet[(v >> 6) & 63] : '=';
    out[3] = n > 2 ? alphabet[v & 63] : '=';
}

static int encode(FILE *in, FILE *out)
{
    unsigned char buf[3];
    char quad[4];
    size_t n, col = 0;

    while ((n = fread(buf, 1, 3, in)) > 0) {
        encode_block(buf, n, quad);
        fwrite(quad, 1, 4, out);
        col += 4;
        if (col == 76) {
            fputc('\n', out);
            col = 0;
        }
        if (n < 3)
            break;
    }
    if (col)
        fputc('\n', out);
    return ferror(in) ? 1 : 0;
}

static int decode(FILE *in, FILE *out)
{
    unsigned acc = 0;
    int c, bits = 0, pad = 0;

    while ((c = fgetc(in)) != EOF) {
        int v = value_of(c);

        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (v == -1) {
            fprintf(stderr, "b64: invalid character 0x%02x\n", c);
            return 1;
        }
        if (v == -2) {
            pad++;
            continue;
        }
        if (pad) {
            fprintf(stderr, "b64: data after padding\n");
            return 1;
        }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            fputc((int)((acc >> bits) & 0xff), out);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "-d") == 0)
        return decode(stdin, stdout);
    if (argc > 1) {
        fprintf(stderr, "usage: b64 [-d] < in > out\n");
        return 2;
    }
    return encode(stdin, stdout);
}
