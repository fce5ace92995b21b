/**
 * The simulated filesystem shared by every lock design: block device, allocator, inode, page
 * cache (the lock SPI's {@link rlbench.locks.index.PageIndex}), address spaces and the kernel's
 * operations in the kernel's order. It reaches a design only through {@link rlbench.locks.MappingLock}
 * and knows none by name.
 */
package rlbench.fs;
