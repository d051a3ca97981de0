/* Hardware layer of the device build (ESP8266, loaded into RAM by the ROM loader with MEM_*).
 *
 * Facts used (no code copied):
 *  - ROM routine addresses: rom_esp8266.ld, from MicroPython ports/esp8266/boards/eagle.rom.addr.v6.ld.
 *  - ROM routine signatures and return values (0 = OK): esptool flasher_stub/include/rom_functions.h.
 *  - UART0 registers at 0x60000000: FIFO +0x00, INT_ST +0x08, INT_ENA +0x0C, INT_CLR +0x10,
 *    CLKDIV +0x14, STATUS +0x1C (RX count bits 0..7, TX count bits 16..23), CONF1 +0x24
 *    (RX-full threshold bits 0..6, RX timeout threshold bits 24..30, timeout enable bit 31);
 *    interrupt bits RXFIFO_FULL 0 and RXFIFO_TOUT 8: the ESP8266 SDK uart_register.h as
 *    shipped in MicroPython ports/esp8266/uart_register.h; UART0 is CPU interrupt 5
 *    (esptool flasher_stub/include/soc_support.h, ETS_UART0_INUM).
 *  - Start-up order (SelectSpiFunction, spi_flash_attach, SPIParamCfg with 16 MiB / 64 KiB /
 *    4 KiB / 256 / 0xFFFF; ets_set_user_start(0)): esptool flasher_stub/stub_flasher.c.
 *
 * Reception runs from the UART interrupt into a ring buffer, so bytes keep arriving while the
 * ROM SPI routines erase and program (the main loop blocks inside them).
 */
#include "stub_hal.h"
#include "stub_baud.h"
#include "stub_protocol.h"

#define REG(address) (*(volatile uint32_t *)(address))

#define UART_FIFO 0x60000000u
#define UART_INT_ST 0x60000008u
#define UART_INT_ENA 0x6000000Cu
#define UART_INT_CLR 0x60000010u
#define UART_STATUS 0x6000001Cu
#define UART_CONF1 0x60000024u
#define UART_INT_RXFIFO_FULL (1u << 0)
#define UART_INT_RXFIFO_TOUT (1u << 8)
#define UART0_INUM 5
#define TX_FIFO_LIMIT 126u

#define FLASH_MAX_SIZE (16u * 1024u * 1024u)

/* ROM routines (addresses in rom_esp8266.ld). */
extern int SPIRead(uint32_t address, void *dst, uint32_t length);
extern int SPIWrite(uint32_t address, const void *src, uint32_t length);
extern int SPIEraseSector(uint32_t sector);
extern int SPIEraseBlock(uint32_t block);
extern int SPIEraseChip(void);
extern int SPIUnlock(void);
extern int SPIParamCfg(uint32_t id, uint32_t size, uint32_t block, uint32_t sector, uint32_t page, uint32_t mask);
extern void SelectSpiFunction(void);
extern void spi_flash_attach(void);
extern void uart_div_modify(uint32_t uart, uint32_t divider);
extern void ets_delay_us(uint32_t us);
extern void ets_isr_attach(uint32_t interrupt, void (*handler)(void *), void *arg);
extern void ets_isr_mask(uint32_t mask);
extern void ets_isr_unmask(uint32_t mask);
extern void ets_set_user_start(void (*start)(void));
extern void software_reset(void);

extern uint32_t _bss_start, _bss_end;

/* ---- UART ---- */

#define RING_SIZE (23u * 1024u + 512u) /* one 16 KiB block plus framing and escapes (the host keeps at most one frame unanswered) */
static volatile uint8_t ring[RING_SIZE];
static volatile uint32_t ring_head; /* written by the interrupt */
static volatile uint32_t ring_tail; /* written by the main loop */

static void uart_isr(void *arg)
{
    (void)arg;
    uint32_t status = REG(UART_INT_ST);
    uint32_t count = REG(UART_STATUS) & 0xFFu;
    uint32_t head = ring_head;
    while (count--) {
        uint8_t b = (uint8_t)REG(UART_FIFO);
        uint32_t next = head + 1 == RING_SIZE ? 0 : head + 1;
        if (next != ring_tail) { /* when full, the byte is dropped; the frame then fails its checks */
            ring[head] = b;
            head = next;
        }
    }
    ring_head = head;
    REG(UART_INT_CLR) = status;
}

/* Waits for the ring to fill, doing background work meanwhile. Out of line, so that
 * hal_rx_span's own path saves no registers. */
static __attribute__((noinline)) void rx_wait(void)
{
    uint32_t tail = ring_tail;
    while (ring_head == tail) {
        stub_rx_idle(); /* background work (stub_clean.c); the interrupt keeps filling the ring */
    }
}

const uint8_t *hal_rx_span(uint32_t *length)
{
    uint32_t tail = ring_tail; /* only the main loop writes it */
    uint32_t head = ring_head;
    if (head == tail) {
        rx_wait();
        head = ring_head;
    }
    /* The interrupt writes only at head and beyond, never inside [tail, head): the run is stable
     * once head has been read, so it is handed out without volatile reads. */
    __asm__ volatile("" ::: "memory");
    *length = (head > tail ? head : RING_SIZE) - tail; /* up to the ring's end when it wraps */
    return (const uint8_t *)ring + tail;
}

void hal_rx_consume(uint32_t count)
{
    uint32_t tail = ring_tail + count;
    ring_tail = tail == RING_SIZE ? 0 : tail;
}

static hal_tx_idle_fn tx_idle;

void hal_set_tx_idle(hal_tx_idle_fn fn) { tx_idle = fn; }

void hal_tx(const uint8_t *data, uint32_t length)
{
    while (length--) {
        while (((REG(UART_STATUS) >> 16) & 0xFFu) >= TX_FIFO_LIMIT) {
            if (tx_idle != 0) {
                tx_idle(); /* e.g. the sparse read's whole-range MD5 (stub_range_hash.h) */
            }
        }
        REG(UART_FIFO) = *data++;
    }
}

void hal_tx_flush(void)
{
    while (((REG(UART_STATUS) >> 16) & 0xFFu) != 0) {
    }
    ets_delay_us(1000); /* the last byte is still in the shift register */
}

void hal_set_uart_divider(uint32_t divider)
{
    ets_delay_us(10000);
    uart_div_modify(0, divider);
    ets_delay_us(1000);
}

/* ---- registers ---- */

uint32_t hal_read_reg(uint32_t address) { return REG(address); }

void hal_write_reg(uint32_t address, uint32_t value, uint32_t mask, uint32_t delay_us)
{
    REG(address) = (REG(address) & ~mask) | (value & mask);
    if (delay_us != 0) {
        ets_delay_us(delay_us);
    }
}

/* ---- flash ---- */

uint32_t hal_flash_capacity(void) { return FLASH_MAX_SIZE; }

void hal_flash_set_params(uint32_t id, uint32_t total_size, uint32_t block_size,
                          uint32_t sector_size, uint32_t page_size, uint32_t status_mask)
{
    SPIParamCfg(id, total_size, block_size, sector_size, page_size, status_mask);
}

void hal_flash_attach(uint32_t config)
{
    (void)config; /* the ESP8266 has one flash interface */
    SelectSpiFunction();
    spi_flash_attach();
}

int hal_flash_unlock(void) { return SPIUnlock() == 0 ? HAL_OK : HAL_FAILED; }

int hal_flash_read(uint32_t address, void *dst, uint32_t length)
{
    return SPIRead(address, dst, length) == 0 ? HAL_OK : HAL_FAILED;
}

int hal_flash_write(uint32_t address, const void *src, uint32_t length)
{
    return SPIWrite(address, src, length) == 0 ? HAL_OK : HAL_FAILED;
}

int hal_flash_erase_sector(uint32_t sector) { return SPIEraseSector(sector) == 0 ? HAL_OK : HAL_FAILED; }

int hal_flash_erase_block(uint32_t block) { return SPIEraseBlock(block) == 0 ? HAL_OK : HAL_FAILED; }

int hal_flash_erase_chip(void) { return SPIEraseChip() == 0 ? HAL_OK : HAL_FAILED; }

/* ---- life cycle ---- */

void hal_reboot(void)
{
    software_reset();
    for (;;) {
    }
}

void hal_init(void)
{
    SelectSpiFunction();
    spi_flash_attach();
    SPIParamCfg(0, FLASH_MAX_SIZE, 65536u, 4096u, 256u, 0xFFFFu);

    ets_isr_mask(1u << UART0_INUM);
    /* Interrupt when 64 bytes are waiting, or when the line has been idle for 2 byte times. */
    uint32_t conf1 = REG(UART_CONF1) & ~(0x7Fu | (0x7Fu << 24) | (1u << 31));
    REG(UART_CONF1) = conf1 | 64u | (2u << 24) | (1u << 31);
    ets_isr_attach(UART0_INUM, uart_isr, 0);
    REG(UART_INT_CLR) = 0x1FFu;
    REG(UART_INT_ENA) = UART_INT_RXFIFO_FULL | UART_INT_RXFIFO_TOUT;
    ets_isr_unmask(1u << UART0_INUM);
}

void stub_device_main(void);

/* Entered from entry_esp8266.S; returning runs the user's firmware (RUN_USER_CODE). */
void stub_device_main(void)
{
    for (uint32_t *p = &_bss_start; p < &_bss_end; p++) {
        *p = 0;
    }
    ets_set_user_start(0); /* the ROM pointed it at us; clear it for the next boot */
    hal_init();
    stub_run();
    ets_isr_mask(1u << UART0_INUM);
}
