package rmaplab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input that is not a workload at all, or a damaged one: every refusal says FILE:LINE and what is wrong. */
class HostileInputTest {
    static final String OK = "rmaplab-workload 1\nP spawn\nP mmap 0x10 4 rw- anon\nP touch 0x10 4 write\n";

    static List<Op> read(String name, byte[] bytes) throws WorkloadException {
        try (WorkloadReader r = WorkloadReader.open(name, new ByteArrayInputStream(bytes))) {
            List<Op> ops = new java.util.ArrayList<>();
            for (Op op; (op = r.next()) != null; ) ops.add(op);
            return ops;
        }
    }

    static String error(byte[] bytes) {
        return assertThrows(WorkloadException.class, () -> read("in", bytes)).getMessage();
    }

    static String fileError(Path p) {
        return assertThrows(WorkloadException.class, () -> Workloads.readAll(p)).getMessage();
    }

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(o)) {
            g.write(b);
        }
        return o.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    @Test
    void controlBytesAndCarriageReturnsAreRefusedWithTheirPlace() {
        assertEquals("in:2: control character 0x00 at byte 8 of the line (a workload is text)", error(bytes("rmaplab-workload 1\nP spawn\0\n")));
        assertEquals("in:3: control character 0x1b at byte 1 of the line (a workload is text)", error(bytes("rmaplab-workload 1\n# ok\n\u001b[31m\n")));
        assertEquals("in:1: a carriage return not followed by a line feed at byte 19 of the line (a workload is text)",
                error(bytes("rmaplab-workload 1\rP spawn\r")));
    }

    @Test
    void crlfLineEndsAreRead() throws Exception {
        assertEquals(3, read("in", bytes(OK.replace("\n", "\r\n"))).size());
    }

    @Test
    void nonUtf8BytesAreRefusedAndNonAsciiTokensEscaped() {
        byte[] latin1 = concat(bytes("rmaplab-workload 1\nP spawn # caf"), new byte[] {(byte) 0xe9}, bytes("\n"));
        assertEquals("in:2: not UTF-8 text: byte 0xe9 at byte 14 of the line", error(latin1));
        assertEquals("in:3: bad task name '\\u00e9t\\u00e9' (letters, digits, '_', '.', '-')",
                error(bytes("rmaplab-workload 1\nP spawn\nP fork \u00e9t\u00e9\n")));
    }

    @Test
    void aUtf8ByteOrderMarkIsSkippedAndUtf16Refused() throws Exception {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        assertEquals(read("in", bytes(OK)), read("in", concat(bom, bytes(OK))));
        assertEquals("in:1: UTF-16 text (it starts with a UTF-16 byte order mark): a workload is UTF-8 text",
                error(OK.getBytes(StandardCharsets.UTF_16)));
        // only before the first line: elsewhere it is a character like any other
        assertEquals("in:2: bad task name '\\ufeffP' (letters, digits, '_', '.', '-')", error(concat(bytes("rmaplab-workload 1\n"), bom, bytes("P spawn\n"))));
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedBeforeItIsReadWhole() {
        // an endless line: the reader must stop at the limit, not read on
        InputStream endless = new InputStream() {
            long n;
            @Override public int read() { return ++n < 30 ? "rmaplab-workload 1\nP spawn\nP ".charAt((int) n - 1) : 'a'; }
            @Override public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) b[off + i] = (byte) read();
                if (n > 10L * LineInput.LINE_LIMIT) throw new AssertionError("read far past the limit");
                return len;
            }
        };
        WorkloadException e = assertThrows(WorkloadException.class, () -> {
            try (WorkloadReader r = WorkloadReader.open("endless", endless)) {
                while (r.next() != null) { }
            }
        });
        assertEquals("endless:3: line longer than " + LineInput.LINE_LIMIT + " bytes (is this a workload file?)", e.getMessage());
        // a line of exactly the limit is read
        String comment = "#" + "x".repeat(LineInput.LINE_LIMIT - 1) + "\n";
        assertTrue(assertThrows(WorkloadException.class, () -> read("in", bytes(comment + "x" + comment))).getMessage()
                .startsWith("in:2: line longer than"));
    }

    @Test
    void messagesQuoteAtMostSixtyCharacters() {
        String msg = error(bytes("rmaplab-workload 1\nP spawn\nP fork " + "c".repeat(8000) + "$\n"));
        assertEquals("in:3: bad task name '" + "c".repeat(60) + "...' (8001 characters) (letters, digits, '_', '.', '-')", msg);
    }

    @Test
    void gzipDamageIsToldApart(@TempDir Path dir) throws Exception {
        byte[] gz = gzip(bytes(OK.repeat(1).replace("P touch", "P walk 0x10 4\nP touch")));
        assertEquals(4, read("in", gz).size());
        // cut inside the compressed data, inside the 8-byte trailer, inside the header
        // (the line is the one being read when the data ended: what was decompressed before is read)
        assertTrue(error(Arrays.copyOf(gz, gz.length / 2)).matches("in:[1-5]: truncated gzip data: the file ends before the end of its compressed stream"));
        assertEquals("in:6: truncated gzip data: the file ends before the end of its compressed stream", error(Arrays.copyOf(gz, gz.length - 3)));
        assertEquals("in:1: truncated gzip data: the file ends before the end of its compressed stream", error(Arrays.copyOf(gz, 5)));
        // a wrong CRC
        byte[] crc = gz.clone();
        crc[crc.length - 8] ^= 1;
        assertEquals("in:6: corrupt gzip data: the checksum or length in its trailer does not match the data", error(crc));
        // not deflate data (block type 3 is reserved)
        byte[] bad = gz.clone();
        bad[10] = (byte) 0xff;
        assertTrue(error(bad).startsWith("in:1: corrupt gzip data ("), error(bad));
        // a .gz name without gzip data, and a one-byte file
        Path notGz = dir.resolve("w.rmw.gz");
        Files.write(notGz, bytes(OK));
        assertEquals(notGz + ":0: not gzip data, although the name ends in .gz (the file starts with 72 6d 61 70, not 1f 8b)", fileError(notGz));
        Files.write(notGz, new byte[] {0x1f});
        assertEquals(notGz + ":1: truncated gzip data: the file ends inside the gzip header", fileError(notGz));
        Files.write(notGz, new byte[0]);
        assertEquals(notGz + ":0: missing header 'rmaplab-workload 1' (the file is empty)", fileError(notGz));
    }

    @Test
    void concatenatedGzipMembersAreOneStreamAndTrailingBytesAreIgnored() throws Exception {
        byte[] a = gzip(bytes("rmaplab-workload 1\nP spawn\n")), b = gzip(bytes("P mmap 0x10 4 rw- anon\n"));
        assertEquals(2, read("in", concat(a, b)).size());
        assertEquals(1, read("in", concat(a, new byte[100])).size());
        assertEquals("in:3: more than " + LineInput.TRAILING_LIMIT + " bytes of other data after the end of its gzip data",
                error(concat(a, new byte[2 * LineInput.TRAILING_LIMIT])));
    }

    @Test
    void whatIsNotAFileIsSaidSo(@TempDir Path dir) {
        assertEquals(dir + ":0: is a directory, not a workload file", fileError(dir));
        assertEquals(dir.resolve("none.rmw") + ":0: no such file", fileError(dir.resolve("none.rmw")));
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull));
        assertEquals("/dev/null:0: is a character device, not a workload file (give - to read standard input)", fileError(devNull));
    }
}
