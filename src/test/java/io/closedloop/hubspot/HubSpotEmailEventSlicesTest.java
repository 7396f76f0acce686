package io.closedloop.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a window is cut into time slices read at once, from the density of the last read (hubspot-api.md §2.1: inclusive ends). */
class HubSpotEmailEventSlicesTest {
    @Test
    void nothingKnownOrLessThanTwoPagesExpectedIsReadPageAfterPage() {
        assertThat(HubSpotEmailEventReader.slices(0, 59_999, 0, 10_000)).isNull();
        // 0.025 a millisecond over a minute: 1,500 expected, two slices; over 40 s: 1,000, one page
        assertThat(HubSpotEmailEventReader.slices(0, 59_999, 0.025, 10_000)).hasSize(2);
        assertThat(HubSpotEmailEventReader.slices(0, 39_999, 0.025, 10_000)).isNull();
    }

    @Test
    void aWindowExpectedToHoldMoreThanAChunkIsSlicedOverItsNewestChunkOnlyWithoutGapsOrOverlaps() {
        // 1.667 a millisecond over 11 s: 18,337 expected; the newest 10,000 fill the last 5,999 ms
        List<long[]> slices = HubSpotEmailEventReader.slices(1_000_000, 1_010_999, 1.667, 10_000);
        assertThat(slices).hasSize(HubSpotEmailEventReader.SLICES);
        assertThat(slices.get(0)[1]).isEqualTo(1_010_999);
        assertThat(slices.get(slices.size() - 1)[0]).isEqualTo(1_010_999 - (long) (10_000 / 1.667) + 1);
        for (int i = 1; i < slices.size(); i++) {
            assertThat(slices.get(i)[1]).isEqualTo(slices.get(i - 1)[0] - 1);
        }
        for (long[] s : slices) {
            assertThat(s[1] - s[0] + 1).isBetween(1_499L, 1_501L);
        }
    }

    @Test
    void aSpanShorterThanItsSlicesIsNotCut() {
        assertThat(HubSpotEmailEventReader.slices(0, 2, 5_000, 10_000)).isNull();
    }
}
