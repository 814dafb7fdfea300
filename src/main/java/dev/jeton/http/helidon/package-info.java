/**
 * Jeton's workarounds for Helidon 4.5.0, all in one place. Each class says what Helidon does,
 * where (an upstream issue or the source line), and when it can go; docs/helidon-workarounds.md
 * has the list with the measurements. The one change Jeton makes to Helidon's own code is not
 * here but in {@code patches/helidon/}, applied to Helidon's released sources at build time;
 * {@link DataReaderPatch} checks at start that it is the class running.
 * <p>
 * Nothing outside {@code dev.jeton.http} uses this package.
 */
package dev.jeton.http.helidon;
