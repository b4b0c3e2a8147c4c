/* matrix.c - a toy dense-matrix library (row-major doubles). Public domain. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitset.h"

typedef struct {
    int rows, cols;
    double *a;
} matrix;

#define AT(m, i, j) ((m)->a[(size_t)(i) * (m)->cols + (j)])

matrix *mat_new(int rows, int cols)
{
    matrix *m = malloc(sizeof(*m));

    if (!m)
        return NULL;
    m->rows = rows;
    m->cols = cols;
    m->a = calloc((size_t)rows * cols, sizeof(double));
    if (!m->a) {
        free(m);
        return NULL;
    }
    return m;
}

void mat_free(matrix *m)
{
    if (m) {
        free(m->a);
        free(m);
    }
}

matrix *mat_identity(int n)
{
    matrix *m = mat_new(n, n);

    for (int i = 0; m && i < n; i++)
        AT(m, i, i) = 1.0;
    return m;
}

matrix *mat_mul(const matrix *x, const matrix *y)
{
    matrix *r;

    if (x->cols != y->rows)
        return NULL;
    r = mat_new(x->rows, y->cols);
    if (!r)
        return NULL;
    for (int i = 0; i < x->rows; i++)
        for (int k = 0; k < x->cols; k++) {
            double xik = AT(x, i, k);

            for (int j = 0; j < y->cols; j++)
                AT(r, i, j) += xik * AT(y, k, j);
        }
    return r;
}

matrix *mat_transpose(const matrix *x)
{
    matrix *r = mat_new(x->cols, x->rows);

    for (int i = 0; r && i < x->rows; i++)
        for (int j = 0; j < x->cols; j++)
            AT(r, j, i) = AT(x, i, j);
    return r;
}

/* Solves A x = b in place by Gauss-Jordan elimination with partial pivoting.
 * A is n x n, b is n x 1; on success b holds x. Returns 0, or -1 when A is
 * singular to working precision. */
int mat_solve(matrix *A, matrix *b)
{
    int n = A->rows;
    bitset pivots;

    if (A->cols != n || b->rows != n || !bitset_init(&pivots, (size_t)n))
        return -1;
    for (int col = 0; col < n; col++) {
        int best = col;

        for (int r = col + 1; r < n; r++)
            if (fabs(AT(A, r, col)) > fabs(AT(A, best, col)))
                best = r;
        if (fabs(AT(A, best, col)) < 1e-12) {
            bitset_free(&pivots);
            return -1;
        }
        if (best != col) {
            for (int j = 0; j < n; j++) {
                double t = AT(A, col, j);
                AT(A, col, j) = AT(A, best, j);
                AT(A, best, j) = t;
            }
            double t = AT(b, col, 0);
            AT(b, col, 0) = AT(b, best, 0);
            AT(b, best, 0) = t;
        }
        bitset_set(&pivots, (size_t)col);
        double p = AT(A, col, col);
        for (int j = 0; j < n; j++)
            AT(A, col, j) /= p;
        AT(b, col, 0) /= p;
        for (int r = 0; r < n; r++) {
            double f = AT(A, r, col);

            if (r == col || f == 0.0)
                continue;
            for (int j = 0; j < n; j++)
                AT(A, r, j) -= f * AT(A, col, j);
            AT(b, r, 0) -= f * AT(b, col, 0);
        }
    }
    bitset_free(&pivots);
    return 0;
}

void mat_print(const matrix *m, FILE *out)
{
    for (int i = 0; i < m->rows; i++) {
        for (int j = 0; j < m->cols; j++)
            fprintf(out, "%s%10.4f", j ? " " : "", AT(m, i, j));
        fputc('\n', out);
    }
}
