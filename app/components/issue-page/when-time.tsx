/** A moment on the issue page: "3 days ago", with the exact date and time on hover. */
import type { When } from "./types";

export function WhenTime({ at, className }: { at: When; className?: string }) {
  return (
    <time dateTime={at.iso} title={at.full} className={className}>
      {at.ago}
    </time>
  );
}
