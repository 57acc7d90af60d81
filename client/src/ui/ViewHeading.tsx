import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A view's <h1>. It takes focus when the view appears, so keyboard and screen-reader
 * users start reading the new view instead of staying on the link they followed.
 */
export function ViewHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = title === 'Concert History' ? title : `${title} · Concert History`;
    ref.current?.focus();
  }, [title]);
  return (
    <h1 className="shell-main__title" ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
