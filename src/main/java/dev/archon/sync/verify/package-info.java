/** Content checksums that prove a target table equals its source. */
package dev.archon.sync.verify;
