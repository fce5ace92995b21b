package rlbench.bench.targets;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The C library calls the {@code linux} target makes, bound with JNA's direct mapping (the JNI
 * stubs JNA generates; no reflection or argument boxing per call). Addresses are passed as
 * {@code long}, which the x86-64 and AArch64 calling conventions pass as they pass a pointer, so
 * the timed calls ({@link #madvise}, {@link #pread}, {@link #pwrite}, {@link #fallocate})
 * allocate nothing. A failed call throws {@link LastErrorException} carrying {@code errno}; glibc's
 * wrappers set {@code errno} only on failure, so a success never throws.
 */
final class LibC {

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    static final int O_RDWR = 02;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_CLOEXEC = 02000000;
    /** O_DIRECT's value differs by architecture: 0200000 on arm64, 040000 on x86-64. */
    static final int O_DIRECT = "aarch64".equals(System.getProperty("os.arch")) ? 0200000 : 040000;

    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;

    static final int POSIX_FADV_RANDOM = 1;
    static final int POSIX_FADV_DONTNEED = 4;

    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x01;
    static final long MAP_FAILED = -1;

    static final int MADV_RANDOM = 1;
    static final int MADV_DONTNEED = 4;

    static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1;
    static final int SYNC_FILE_RANGE_WRITE = 2;
    static final int SYNC_FILE_RANGE_WAIT_AFTER = 4;

    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    static final int EOPNOTSUPP = 95;

    private LibC() {
    }

    static native int open(String path, int flags, int mode) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int unlink(String path) throws LastErrorException;

    static native int ftruncate(int fd, long length) throws LastErrorException;

    static native int fallocate(int fd, int mode, long offset, long len) throws LastErrorException;

    /** Returns the error number itself (0 on success), as POSIX specifies; does not set errno. */
    static native int posix_fadvise(int fd, long offset, long len, int advice);

    static native int sync_file_range(int fd, long offset, long nbytes, int flags) throws LastErrorException;

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    static native int munmap(long addr, long length) throws LastErrorException;

    static native int madvise(long addr, long length, int advice) throws LastErrorException;

    static native long pread(int fd, long buf, long count, long offset) throws LastErrorException;

    static native long pwrite(int fd, long buf, long count, long offset) throws LastErrorException;

    /** Residency of the pages of {@code [addr, addr + length)}, one byte each in {@code vec} (bit 0: cached). */
    static native int mincore(long addr, long length, byte[] vec) throws LastErrorException;

    /** The C library's text for an error number ({@code strerror}). */
    static native String strerror(int errnum);

    /** "what: strerror (ENAME)": one line for a failed call. */
    static String describe(String what, int errno) {
        return what + ": " + strerror(errno) + " (errno " + errno + ")";
    }
}
