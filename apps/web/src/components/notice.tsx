import { useEffect, useRef, type ReactNode } from 'react';
import type { ApiError } from '../api/client';
import { Button } from './button';

/** The error at the top of a form or screen. role=alert so it is read out when it appears. */
export function ErrorNotice({
  error,
  title,
  onRetry,
}: {
  error: ApiError | undefined;
  title?: string;
  onRetry?: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A long form may have scrolled the summary away; bring it back into view.
    if (error) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [error]);
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert" ref={ref}>
      {title && <strong>{title}</strong>}
      <p>{error.message}</p>
      {onRetry && (
        <Button small onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'ok' | 'warn' }) {
  return <div className={`notice notice-${tone}`}>{children}</div>;
}

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}
