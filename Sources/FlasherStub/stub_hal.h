/* The hardware layer of the espwiz flasher stub.
 *
 * The protocol, inflate, MD5 and flash-writer code is portable C and calls only these
 * functions. Two implementations exist:
 *   hal_esp8266.c  the device build: UART0 registers with an RX interrupt, ROM SPI flash routines;
 *   hal_qemu.c     the test build for qemu-system-xtensa -M sim -cpu lx106: the UART is the
 *                  emulator's standard input/output through Xtensa semihosting, the flash is
 *                  a RAM array with NOR semantics (erase to 0xFF, program by AND).
 */
#ifndef STUB_HAL_H
#define STUB_HAL_H

#include <stdint.h>

/* Flash operation results. */
#define HAL_OK 0
#define HAL_FAILED 1

/* Brings up the UART receiver and the flash; called once before the greeting. */
void hal_init(void);

/* Returns the received bytes waiting in one contiguous run (at least one byte; waits for it
 * while none is there) and sets *length to their count. The bytes stay in place until
 * hal_rx_consume drops them, so the frame receiver reads runs without a call per byte.
 * Returns 0 when the link is gone (test build: end of standard input). */
const uint8_t *hal_rx_span(uint32_t *length);

/* Drops the first `count` bytes (at most the length hal_rx_span gave) of the waiting run. */
void hal_rx_consume(uint32_t count);

/* Defined by the portable code (stub_protocol.c; the work is second-stage code, done only once
 * that stage is loaded): called by hal_rx_span whenever it finds no
 * received byte waiting, to do one bounded unit of background work (a flash read of 256 bytes
 * or one erase). The RX interrupt keeps filling the ring meanwhile. It never touches the UART. */
void stub_rx_idle(void);

/* Queues bytes for transmission (blocks while the transmitter is full). */
void hal_tx(const uint8_t *data, uint32_t length);

/* Waits until every queued byte has left. */
void hal_tx_flush(void);

/* Work to do while hal_tx waits for room in the transmitter: called again and again while the
 * UART's FIFO is full (device build), once per hal_tx call (QEMU build, whose output never
 * waits). Each call must return well within the FIFO's drain time (126 bytes: 1.4 ms at
 * 921,600 baud) and must not transmit. 0 for none. */
typedef void (*hal_tx_idle_fn)(void);
void hal_set_tx_idle(hal_tx_idle_fn fn);

/* Programs UART0's clock divider (the reply has been flushed already). */
void hal_set_uart_divider(uint32_t divider);

/* Largest flash address + 1 the layer can reach. */
uint32_t hal_flash_capacity(void);

/* Tells the flash layer the chip's geometry (SPI_SET_PARAMS). */
void hal_flash_set_params(uint32_t id, uint32_t total_size, uint32_t block_size,
                          uint32_t sector_size, uint32_t page_size, uint32_t status_mask);

/* Removes write protection before erasing or writing. */
int hal_flash_unlock(void);

/* Re-attaches the SPI flash (SPI_ATTACH). */
void hal_flash_attach(uint32_t config);

/* Reads `length` bytes (multiple of 4) at `address` (multiple of 4) into `dst` (4-byte aligned). */
int hal_flash_read(uint32_t address, void *dst, uint32_t length);

/* Programs `length` bytes (multiple of 4) from `src` (4-byte aligned) at `address` (multiple of 4). */
int hal_flash_write(uint32_t address, const void *src, uint32_t length);

/* Erases one 4 KiB sector (sector number = address / 4096). */
int hal_flash_erase_sector(uint32_t sector);

/* Erases one 64 KiB block (block number = address / 65536). */
int hal_flash_erase_block(uint32_t block);

/* Erases the whole chip. */
int hal_flash_erase_chip(void);

/* READ_REG / WRITE_REG. */
uint32_t hal_read_reg(uint32_t address);
void hal_write_reg(uint32_t address, uint32_t value, uint32_t mask, uint32_t delay_us);

/* Software reset of the chip (FLASH_END with 0). Does not return. */
void hal_reboot(void);

#endif
