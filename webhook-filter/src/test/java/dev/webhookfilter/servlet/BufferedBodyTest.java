package dev.webhookfilter.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BufferedBodyTest {

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    /** A stream that hands out at most {@code chunk} bytes per read, as a network does. */
    private static InputStream trickle(byte[] bytes, int chunk) {
        // Not a ByteArrayInputStream subclass: its readNBytes trusts one read to return everything.
        ByteArrayInputStream all = new ByteArrayInputStream(bytes);
        return new InputStream() {
            @Override
            public int read() {
                return all.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return all.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static byte[] contents(BufferedBody body) {
        return body.copy(0);
    }

    /** Reads with a budget that never runs out. */
    private static BufferedBody read(InputStream in, long declaredLength, int limit) {
        return BufferedBody.read(declaredLength, in, opened -> opened, limit, new BodyBudget(Long.MAX_VALUE / 2));
    }

    /** Whether the body was refused as too large. */
    private static boolean tooLarge(BufferedBody body) {
        return !body.isComplete() && body.refusal() == FilterRejection.BODY_TOO_LARGE && body.chunkCount() == 0;
    }

    private static final InputStream FAILING = new InputStream() {
        @Override
        public int read() throws IOException {
            throw new IOException("reset");
        }
    };

    @Nested
    class WithContentLength {

        @Test
        void readsExactlyTheDeclaredLength() {
            byte[] body = bytes(1000);
            BufferedBody read = read(trickle(body, 7), 1000, 1000);
            assertEquals(1000, read.length);
            assertEquals(1, read.chunkCount());
            assertEquals(1000, read.chunk(0).length, "no spare room when the length is known");
            assertTrue(read.isComplete());
            assertNull(read.refusal());
            assertNull(read.detail());
            assertArrayEquals(body, read.chunk(0));
        }

        @Test
        void readsAnEmptyBody() {
            BufferedBody read = read(new ByteArrayInputStream(new byte[0]), 0, 10);
            assertEquals(0, read.length);
        }

        @Test
        void aZeroContentLengthReadsNothing() {
            ByteArrayInputStream in = new ByteArrayInputStream(bytes(5));
            assertEquals(0, read(in, 0, 10).length);
            assertEquals(5, in.available());
        }

        @Test
        void ignoresBytesPastTheDeclaredLength() {
            BufferedBody read = read(new ByteArrayInputStream(bytes(20)), 10, 100);
            assertArrayEquals(Arrays.copyOf(bytes(20), 10), contents(read));
        }

        @Test
        void aShortBodyIsIncomplete() {
            BufferedBody read = read(new ByteArrayInputStream(bytes(9)), 10, 100);
            assertEquals(FilterRejection.BODY_INCOMPLETE, read.refusal());
            assertEquals("the body ended after 9 of 10 bytes", read.detail());
            assertEquals(0, read.chunkCount());
        }

        @Test
        void aDeclaredLengthOverTheLimitIsRefusedWithoutOpeningTheStream() {
            BufferedBody read = BufferedBody.read(101, null, unopened -> {
                throw new AssertionError("opened the body of a request refused by its Content-Length");
            }, 100, new BodyBudget(1 << 20));
            assertTrue(tooLarge(read));
            assertEquals("Content-Length 101 exceeds the limit of 100 bytes", read.detail());
        }
    }

    /** Each chunk as large as all before it, so that nothing read is copied again. */
    private static List<Integer> chunkSizes(BufferedBody body) {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < body.chunkCount(); i++) {
            sizes.add(body.chunk(i).length);
        }
        return sizes;
    }

    @Nested
    class Chunks {

        @Test
        void aDeclaredLengthIsReadIntoChunksThatDoubleTheCapacity() {
            byte[] body = bytes(65_536);
            BufferedBody read = read(trickle(body, 5000), 65_536, 1 << 20);
            assertEquals(List.of(8192, 8192, 16_384, 32_768), chunkSizes(read));
            assertEquals(List.of(8192, 8192, 16_384, 32_768), List.of(read.chunkLength(0), read.chunkLength(1),
                    read.chunkLength(2), read.chunkLength(3)));
            assertArrayEquals(body, read.copy(0));
        }

        /** The table of chunks is made once, as long as the declared length needs: 8 KiB, 8, 16, 32, ... */
        @ParameterizedTest
        @CsvSource({"0, 1", "1, 1", "8192, 1", "8193, 2", "16384, 2", "16385, 3", "65536, 4", "65537, 5",
                "1048576, 8", "1048577, 9"})
        void aDeclaredLengthSaysHowManyChunks(int length, int chunks) {
            assertEquals(chunks, BufferedBody.chunkCount(length));
            BufferedBody read = read(new ByteArrayInputStream(bytes(length)), length, 2 << 20);
            assertEquals(chunks, read.chunkCount());
            assertEquals(length, read.length);
        }

        @Test
        void theLastChunkHoldsOnlyWhatArrived() {
            BufferedBody read = read(trickle(bytes(20_000), 3000), -1, 1 << 20);
            assertEquals(List.of(8192, 8192, 16_384), chunkSizes(read));
            assertEquals(20_000 - 16_384, read.chunkLength(2));
        }

        @Test
        void copiesFromAnyPosition() {
            byte[] body = bytes(20_000);
            BufferedBody read = read(new ByteArrayInputStream(body), -1, 1 << 20);
            for (int from : new int[] {0, 1, 8191, 8192, 8193, 16_384, 19_999, 20_000}) {
                assertArrayEquals(Arrays.copyOfRange(body, from, body.length), read.copy(from), "from " + from);
            }
        }
    }

    @Nested
    class Chunked {

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 8191, 8192, 8193, 16_385, 40_000})
        void readsWhateverArrives(int length) throws IOException {
            byte[] body = bytes(length);
            assertArrayEquals(body, contents(read(trickle(body, 1000), -1, 1 << 20)));
        }

        @Test
        void startsSmallAndGrowsByDoubling() {
            assertEquals(List.of(8192), chunkSizes(read(new ByteArrayInputStream(bytes(5)), -1, 1 << 20)));
            assertEquals(List.of(8192, 8192), chunkSizes(read(new ByteArrayInputStream(bytes(8193)), -1, 1 << 20)));
        }

        @Test
        void acceptsExactlyTheLimit() {
            byte[] body = bytes(20_000);
            BufferedBody read = read(trickle(body, 3000), -1, 20_000);
            assertArrayEquals(body, contents(read));
            assertEquals(List.of(8192, 8192, 3616), chunkSizes(read), "grown to the limit, no further");
        }

        @Test
        void acceptsALimitThatTheDoubledBufferMeetsExactly() {
            int limit = 2 * BufferedBody.INITIAL_CAPACITY - 1;
            byte[] body = bytes(limit);
            assertArrayEquals(body, contents(read(trickle(body, 5000), -1, limit)));
            assertTrue(tooLarge(read(trickle(bytes(limit + 1), 5000), -1, limit)));
        }

        @Test
        void refusesOneByteOverTheLimit() {
            assertTrue(tooLarge(read(trickle(bytes(20_001), 3000), -1, 20_000)));
        }

        @Test
        void aLimitBelowTheInitialCapacity() {
            assertArrayEquals(bytes(10), contents(read(trickle(bytes(10), 1), -1, 10)));
            assertTrue(tooLarge(read(trickle(bytes(11), 1), -1, 10)));
        }

        @Test
        void stopsReadingOnceOverTheLimit() {
            ByteArrayInputStream in = new ByteArrayInputStream(bytes(100));
            assertTrue(tooLarge(read(in, -1, 10)));
            assertEquals(89, in.available(), "read the limit + 1 and no more");
        }

        @Test
        void aFailingReadIsIncomplete() {
            BufferedBody read = read(FAILING, -1, 10);
            assertEquals(FilterRejection.BODY_INCOMPLETE, read.refusal());
            assertEquals("reading the body failed: IOException", read.detail());
        }

        @Test
        void aBodyOverTheLimitSaysSo() {
            assertEquals("the body exceeds the limit of 10 bytes", read(new ByteArrayInputStream(bytes(11)), -1, 10).detail());
        }
    }

    /** Issue 9, finding 3: memory follows the bytes that arrive, within the filter's budget. */
    @Nested
    class Budget {

        /** A stream that has sent nothing yet: a read would block, so the test fails if one happens. */
        private final InputStream silent = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read before the budget allowed it");
            }
        };

        @Test
        void aDeclaredLengthAloneAllocatesOnlyTheFirstBuffer() {
            BodyBudget budget = new BodyBudget(1 << 30);
            byte[] body = bytes(1000);
            // Declares 2 MiB, sends 1000 bytes, then ends: the buffer never grew past what arrived.
            InputStream in = trickle(body, 1000);
            assertEquals(FilterRejection.BODY_INCOMPLETE, BufferedBody.read(2 << 20, in, opened -> opened, 2 << 20, budget).refusal());
            assertEquals(0, budget.used(), "given back when the body fails");
        }

        @Test
        void takesTheBufferFromTheBudgetUntilReleased() {
            BodyBudget budget = new BodyBudget(1 << 20);
            BufferedBody body = BufferedBody.read(20_000, trickle(bytes(20_000), 3000), opened -> opened, 1 << 20, budget);
            assertEquals(20_000, budget.used(), "8 KiB, doubled to 16 KiB, then the declared 20,000");
            body.release();
            body.release();
            assertEquals(0, budget.used(), "released once, however often called");
        }

        @Test
        void aBodyLentToAnotherFilterIsGivenBackByItsOwnerOnly() {
            BodyBudget budget = new BodyBudget(1 << 20);
            BufferedBody body = BufferedBody.read(20_000, trickle(bytes(20_000), 3000), opened -> opened, 1 << 20, budget);
            BufferedBody lent = body.lentTo(20_000);
            assertNull(lent.refusal());
            assertEquals(20_000, lent.length);
            assertArrayEquals(bytes(20_000), lent.copy(0), "the same bytes, in the same chunks");
            assertSame(body.chunk(1), lent.chunk(1));
            lent.release();
            assertEquals(20_000, budget.used(), "the borrower gives back nothing");
            body.release();
            assertEquals(0, budget.used());

            BufferedBody over = body.lentTo(19_999);
            assertEquals(FilterRejection.BODY_TOO_LARGE, over.refusal(), "over the borrower's own limit");
            assertEquals("the body of 20000 bytes exceeds the limit of 19999 bytes", over.detail());
            assertEquals(0, over.chunkCount());
        }

        /** A form's parameters' room ({@link FormBody#hold}): taken beside the buffer, given back with it, once. */
        @Test
        void holdsMoreBesideItsBufferAndGivesItBackWithIt() {
            BodyBudget budget = new BodyBudget(30_000);
            BufferedBody body = BufferedBody.read(20_000, trickle(bytes(20_000), 3000), opened -> opened, 1 << 20, budget);
            assertTrue(body.couldHoldMore(10_000));
            assertFalse(body.couldHoldMore(10_001), "not even with nothing else in flight");
            assertTrue(budget.tryTake(1));
            assertTrue(body.couldHoldMore(10_000), "what others hold is not counted: they give it back");
            assertFalse(body.holdMore(10_000));
            assertEquals(20_001, budget.used(), "a refusal takes nothing");
            budget.giveBack(1);
            assertTrue(body.holdMore(10_000));
            assertEquals(30_000, budget.used());
            BufferedBody lent = body.lentTo(20_000);
            assertTrue(lent.couldHoldMore(Long.MAX_VALUE), "a lent body takes nothing: its lender did");
            assertTrue(lent.holdMore(Long.MAX_VALUE));
            lent.release();
            assertEquals(30_000, budget.used());
            body.release();
            body.release();
            assertEquals(0, budget.used(), "given back once, with the buffer");
        }

        /**
         * A form's room given back while its parameters are decoded on another thread (an async request that ended by an
         * error meanwhile) is given back once the decoding has ended, not while it allocates; then nothing more is
         * decoded, and the parameters decoded within the room are served as they were.
         */
        @Test
        void aFormsRoomIsGivenBackOnceADecodingUnderWayHasEnded() throws Exception {
            BodyBudget budget = new BodyBudget(1 << 20);
            BufferedBody body = BufferedBody.read(3, new ByteArrayInputStream(new byte[] {'a', '=', '1'}), opened -> opened,
                    1 << 20, budget);
            assertTrue(body.holdMore(1000));
            Thread releasing = new Thread(body::release);
            long[] heldWhileDecoding = {-1};
            // The query's parameters are gathered first, as the decoding begins: the body is released meanwhile.
            Map<String, String[]> query = new LinkedHashMap<>() {
                @Override
                public void forEach(BiConsumer<? super String, ? super String[]> action) {
                    releasing.start();
                    while (releasing.getState() != Thread.State.BLOCKED && releasing.isAlive()) {
                        Thread.onSpinWait();
                    }
                    heldWhileDecoding[0] = budget.used();
                    super.forEach(action);
                }
            };
            Map<String, String[]> decoded = body.form().parameters(body, query, StandardCharsets.UTF_8);
            releasing.join(10_000);
            assertEquals(1000, heldWhileDecoding[0], "the buffer's 3 bytes given back, the room held while decoding");
            assertEquals(0, budget.used());
            assertArrayEquals(new String[] {"1"}, decoded.get("a"));
            assertSame(decoded, body.form().parameters(body, Map.of(), StandardCharsets.UTF_8), "served as they were");
            BufferedBody unasked = BufferedBody.read(3, new ByteArrayInputStream(new byte[] {'a', '=', '1'}),
                    opened -> opened, 1 << 20, budget);
            assertTrue(unasked.holdMore(1000));
            unasked.release();
            assertNull(unasked.form().parameters(unasked, Map.of(), StandardCharsets.UTF_8), "nothing decoded after");
        }

        @Test
        void refusesBeforeReadingWhenTheFirstBufferDoesNotFit() {
            BodyBudget budget = new BodyBudget(10_000);
            assertTrue(budget.tryTake(5_000));
            BufferedBody body = BufferedBody.read(8192, silent, opened -> opened, 8192, budget);
            assertEquals(FilterRejection.BUSY, body.refusal());
            assertEquals("the bodies in flight fill maxBufferedBytes (10000 bytes)", body.detail());
            assertEquals(0, body.chunkCount());
            assertEquals(5_000, budget.used());
        }

        @Test
        void refusesWhenGrowingWouldExceedTheBudgetAndGivesBackWhatItTook() {
            BodyBudget budget = new BodyBudget(20_000);
            BufferedBody body = BufferedBody.read(30_000, trickle(bytes(30_000), 4096), opened -> opened, 1 << 20, budget);
            assertEquals(FilterRejection.BUSY, body.refusal());
            assertEquals(0, budget.used());
        }

        @Test
        void aChunkedBodyWithinTheLimitFitsABudgetOfTheLimit() {
            // maxBufferedBytes = maxBodyBytes, the least allowed: one body of the largest size, alone in flight.
            int limit = 1_000_000;
            for (int length : new int[] {600_000, limit}) {
                BodyBudget budget = new BodyBudget(limit);
                BufferedBody body = BufferedBody.read(-1, trickle(bytes(length), 65_536), opened -> opened, limit, budget);
                assertEquals(null, body.refusal(), length + " bytes, chunked");
            }
            BodyBudget small = new BodyBudget(100);
            assertEquals(null, BufferedBody.read(-1, trickle(bytes(5), 5), opened -> opened, 100, small).refusal(),
                    "5 bytes, chunked, limit and budget 100");
        }

        @Test
        void aChunkedBodyOverTheLimitGivesBackWhatItTook() {
            BodyBudget budget = new BodyBudget(1 << 20);
            BufferedBody body = BufferedBody.read(-1, trickle(bytes(20_001), 3000), opened -> opened, 20_000, budget);
            assertEquals(FilterRejection.BODY_TOO_LARGE, body.refusal());
            assertEquals(0, budget.used());
        }

        /** A stream that fails with an unchecked exception: it propagates, with the budget whole again. */
        @Test
        void anUncheckedFailureOfTheStreamGivesBackWhatItTook() {
            BodyBudget budget = new BodyBudget(1 << 20);
            InputStream broken = new InputStream() {
                @Override
                public int read() {
                    throw new UnsupportedOperationException("a container's bug");
                }
            };
            assertThrows(UnsupportedOperationException.class,
                    () -> BufferedBody.read(1000, broken, opened -> opened, 1 << 20, budget));
            assertEquals(0, budget.used());
        }

        /**
         * An {@link OutOfMemoryError} once the buffer has grown (here from the stream, as from allocating the next
         * chunk): it propagates, with every chunk taken given back.
         */
        @Test
        void anErrorAfterTheBufferGrewGivesBackWhatItTook() {
            BodyBudget budget = new BodyBudget(1 << 20);
            InputStream body = trickle(bytes(20_000), 4096);
            InputStream failing = new InputStream() {
                private byte[] firstChunk;

                @Override
                public int read() {
                    throw new AssertionError("read byte by byte");
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (firstChunk == null) {
                        firstChunk = b;
                    } else if (b != firstChunk) {
                        throw new OutOfMemoryError("Java heap space");
                    }
                    return body.read(b, off, len);
                }
            };
            assertThrows(OutOfMemoryError.class, () -> BufferedBody.read(20_000, failing, opened -> opened, 1 << 20, budget));
            assertEquals(0, budget.used(), "8 KiB, then 8 KiB more for the second chunk, all given back");
        }

        @Test
        void aFailingReadGivesBackWhatItTook() {
            BodyBudget budget = new BodyBudget(1 << 20);
            assertEquals(FilterRejection.BODY_INCOMPLETE, BufferedBody.read(-1, FAILING, opened -> opened, 1 << 20, budget).refusal());
            assertEquals(0, budget.used());
        }

        @Test
        void theBudgetNeverOvercommitsUnderContention() throws Exception {
            BodyBudget budget = new BodyBudget(1000);
            java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
            Thread[] threads = new Thread[4];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = new Thread(() -> {
                    for (int j = 0; j < 10_000; j++) {
                        if (budget.tryTake(7)) {
                            taken.addAndGet(7);
                            if (taken.get() > 1000) {
                                throw new AssertionError("overcommitted");
                            }
                            taken.addAndGet(-7);
                            budget.giveBack(7);
                        }
                    }
                });
                threads[i].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(0, budget.used());
        }
    }
}
