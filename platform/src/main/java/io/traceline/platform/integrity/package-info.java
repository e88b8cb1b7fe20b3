/**
 * Record integrity (11.10(a)): the canonical JSON form and SHA-256 digests that record versions, audit events
 * and signatures are hashed with.
 */
package io.traceline.platform.integrity;
