// Dropping files the way a drag from the desktop does: a DataTransfer made in the page, with
// dragenter / dragover / drop dispatched on the target.
import { expect } from './fixtures';
import type { Page, JSHandle, Locator } from '@playwright/test';

export const PDF = Array.from(Buffer.from('%PDF-1.7\n% Tasko end-to-end test file\n%%EOF\n'));

/** A DataTransfer holding one file, made in the page, as a real drag from the desktop has. */
export async function fileTransfer(page: Page, name: string, type: string, bytes: number[]): Promise<JSHandle<DataTransfer>> {
  return page.evaluateHandle(
    ({ name, type, bytes }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
      return transfer;
    },
    { name, type, bytes },
  );
}

/** Drags `transfer` over `target` (checking the highlight) and drops it. */
export async function dropOn(page: Page, target: Locator, transfer: JSHandle<DataTransfer>): Promise<void> {
  await target.dispatchEvent('dragenter', { dataTransfer: transfer });
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await expect(target).toHaveClass(/dragging/);
  await target.dispatchEvent('drop', { dataTransfer: transfer });
  await expect(target).not.toHaveClass(/dragging/);
}

