/*
 * notls.c: keep libgit2 from setting up TLS and SSH, which schemacheck
 * never uses.
 *
 * schemacheck never talks to a network, but Debian's libgit2 1.5 (built
 * with mbedTLS) parses the whole CA bundle, some 200 KB of base64, in
 * git_libgit2_init(): most of the time a small pre-commit run used to
 * spend before it read anything, and there is no option to skip it
 * (git_libgit2_opts can only change the location once init has run).
 *
 * libgit2 calls mbedtls_x509_crt_parse_file() for that and nowhere else.
 * This definition, linked into the executable (not into libsc.a), takes
 * precedence over libmbedx509's for every library in the process (ELF
 * symbol interposition), so the bundle is never read: libgit2's TLS
 * configuration gets an empty chain, which nothing uses. Were some code
 * in the process ever to open a TLS connection, certificate checks would
 * fail closed (no trusted root), never open.
 */

/*
 * The same goes for libssh2_init(), which libgit2's init calls for its
 * SSH transport: Debian's libssh2 then initialises OpenSSL (its provider
 * and configuration tables), which touches some 3 MB of libcrypto. A
 * libssh2 that was never initialised is never used: libssh2_exit() at
 * shutdown does nothing, and no SSH session is ever opened (schemacheck
 * reads local repositories only). schemacheck's own use of libcrypto
 * (SHA-1 for blob ids) initialises it when needed.
 */
int libssh2_init(int flags);

int libssh2_init(int flags)
{
	(void)flags;
	return 0;
}

/* mbedtls_x509_crt is opaque here: its layout does not matter. */
int mbedtls_x509_crt_parse_file(void *chain, const char *path);

int mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;  /* no certificate parsed, no error */
}
