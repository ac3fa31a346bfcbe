package io.paasbroker.provisioner.local.mysql;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * mariadb-dump's output with the DEFINER clauses of views, triggers, routines and events taken out: they name the
 * backed-up instance's users, and a restore makes its own account the definer instead. Data lines ({@code INSERT
 * INTO}, one statement a line, newlines in values escaped) pass straight through, unread and unbuffered; other lines
 * are short statements, rewritten one at a time.
 */
final class WithoutDefiners extends FilterOutputStream {

    private static final Pattern DEFINER = Pattern.compile("DEFINER=`(?:[^`]|``)*`(?:@`(?:[^`]|``)*`)?");
    private static final byte[] DATA_LINE = "INSERT INTO ".getBytes(StandardCharsets.US_ASCII);

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean inDataLine;

    /** Writes to {@code out}, which {@link #finish()} flushes and nothing here closes. */
    WithoutDefiners(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int from = offset;
        while (from < end) {
            int newline = indexOf(bytes, '\n', from, end);
            int upTo = newline < 0 ? end : newline + 1;
            if (inDataLine) {
                out.write(bytes, from, upTo - from);
            } else {
                int before = line.size();
                line.write(bytes, from, upTo - from);
                if (before < DATA_LINE.length && line.size() >= DATA_LINE.length && startsWithDataLine()) {
                    line.writeTo(out);
                    line.reset();
                    inDataLine = true;
                }
            }
            if (newline >= 0) {
                endLine();
            }
            from = upTo;
        }
    }

    /** Writes what is left of the last line and flushes; {@code out} stays open. */
    void finish() throws IOException {
        endLine();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    private boolean startsWithDataLine() {
        return Arrays.equals(Arrays.copyOf(line.toByteArray(), DATA_LINE.length), DATA_LINE);
    }

    private void endLine() throws IOException {
        if (!inDataLine && line.size() > 0) {
            // ISO-8859-1 maps every byte to one char and back, so names in UTF-8 come out as they went in
            String text = line.toString(StandardCharsets.ISO_8859_1);
            out.write(DEFINER.matcher(text).replaceAll("").getBytes(StandardCharsets.ISO_8859_1));
        }
        line.reset();
        inDataLine = false;
    }

    private static int indexOf(byte[] bytes, char wanted, int from, int end) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
